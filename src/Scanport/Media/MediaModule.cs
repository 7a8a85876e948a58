namespace Scanport.Media;

/// <summary>Registers the media module: image processing through libvips, video probing and frames through ffprobe and ffmpeg.</summary>
public static class MediaModule
{
    /// <summary>
    /// Binds and validates (at start-up) <see cref="ImageProcessingOptions"/> from <c>Media:Images</c> and registers
    /// <see cref="ImageProcessor"/>, <see cref="LibVips"/>, <see cref="VideoProbe"/> and <see cref="FrameExtractor"/> as
    /// singletons (the last two run their programs through the processes module's runner). libvips is checked and
    /// configured (operation cache off, its thread count from <see cref="ImageProcessingOptions.Concurrency"/>) once,
    /// when the processor is first made or <see cref="LibVips.EnsureStarted"/> first called.
    /// </summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ImageProcessingOptions.Section);
        services.AddOptions<ImageProcessingOptions>()
            .Bind(section)
            // The binder appends configured list items to the defaults; configured sizes are meant to replace them.
            .PostConfigure(o => o.ThumbnailSizes = section.GetSection(nameof(ImageProcessingOptions.ThumbnailSizes)).Get<int[]>() is { Length: > 0 } sizes ? sizes : o.ThumbnailSizes)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<LibVips>();
        services.AddSingleton<VideoProbe>();
        services.AddSingleton<FrameExtractor>();
        return services;
    }
}
