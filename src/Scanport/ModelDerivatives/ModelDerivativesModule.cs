namespace Scanport.ModelDerivatives;

/// <summary>Registers the model derivatives module: offline translation of design files.</summary>
public static class ModelDerivativesModule
{
    /// <summary>
    /// Binds and validates (at start-up) <see cref="ModelDerivativesOptions"/> from <c>ModelDerivatives</c> and
    /// registers <see cref="ModelTranslator"/> as a singleton. Its thumbnails need the media module's libvips
    /// (<c>AddMedia</c>).
    /// </summary>
    public static IServiceCollection AddModelDerivatives(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelDerivativesOptions>()
            .Bind(configuration.GetSection(ModelDerivativesOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ModelTranslator>();
        return services;
    }
}
