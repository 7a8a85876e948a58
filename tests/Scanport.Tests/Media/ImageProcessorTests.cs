using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetVips;
using Scanport.Media;

namespace Scanport.Tests.Media;

[Collection(MediaSamples.Collection)]
public class ImageProcessorTests(MediaSamples samples)
{
    internal static ImageProcessor Processor(Action<ImageProcessingOptions>? configure = null)
    {
        var options = new ImageProcessingOptions();
        configure?.Invoke(options);
        return new ImageProcessor(Options.Create(options), NullLogger<ImageProcessor>.Instance);
    }

    private static ImageAnalysis Analyze(string path) => Processor().Analyze(path, CancellationToken.None);

    /// <summary>Decodes a thumbnail and checks it is a plain sRGB JPEG whose pixels stand as they should be shown.</summary>
    private static (int Width, int Height) Jpeg(byte[] bytes)
    {
        using var image = Image.NewFromBuffer(bytes);
        Assert.Equal("jpegload_buffer", image.Get("vips-loader"));
        Assert.Equal(3, image.Bands);
        Assert.Equal(Enums.Interpretation.Srgb, image.Interpretation);
        Assert.False(image.Contains("exif-data"), "thumbnails carry no EXIF (no orientation tag to apply twice, no GPS)");
        return (image.Width, image.Height);
    }

    [Fact]
    public void A_jpeg_tagged_rotate_90_cw_is_measured_upright_with_its_exif()
    {
        var analysis = Analyze(samples.Photo);

        Assert.Equal("image/jpeg", analysis.ContentType);
        Assert.Equal((1440, 1920), (analysis.Width, analysis.Height));
        Assert.Equal(new ExifSummary(200, "1/250", "f/1.8",
            new DateTimeOffset(2025, 1, 15, 11, 1, 0, TimeSpan.FromHours(1)), new DateTime(2025, 1, 15, 11, 1, 0)), analysis.Exif);
        Assert.Equal(TimeSpan.FromHours(1), analysis.Exif.Timestamp!.Value.Offset);
    }

    [Fact]
    public void Thumbnails_have_the_configured_long_edges_and_stand_upright()
    {
        var analysis = Analyze(samples.Photo);

        Assert.Equal([150, 600, 1200], analysis.Thumbnails.Keys.Order());
        Assert.Equal((900, 1200), Jpeg(analysis.Thumbnails[1200]));
        Assert.Equal((450, 600), Jpeg(analysis.Thumbnails[600]));
        Assert.Equal((113, 150), Jpeg(analysis.Thumbnails[150]));
    }

    [Fact]
    public void Thumbnails_are_turned_clockwise_as_orientation_6_says()
    {
        var analysis = Analyze(samples.Photo);

        // Compared at 32 px, where the scene's layout (grey sky above textured ground) counts, not its texture.
        using var ours = Image.NewFromBuffer(analysis.Thumbnails[150]).ThumbnailImage(32, height: 32).CopyMemory();
        using var clockwise = Image.Thumbnail(samples.RotatedClockwise, 32, height: 32).CopyMemory();
        using var anticlockwise = clockwise.Rot180();
        var toClockwise = (ours - clockwise).Abs().Avg();
        var toAnticlockwise = (ours - anticlockwise).Abs().Avg();
        Assert.True(toClockwise < 5, $"mean difference to the clockwise rotation {toClockwise:0.0}");
        Assert.True(toAnticlockwise > 3 * toClockwise, $"to the clockwise rotation {toClockwise:0.0}, to the anticlockwise one {toAnticlockwise:0.0}");
    }

    [Fact]
    public void A_heic_decodes_upright_with_its_exif_and_its_exif_orientation_is_not_applied_again()
    {
        var analysis = Analyze(samples.Heic);

        Assert.Equal("image/heic", analysis.ContentType);
        Assert.Equal((960, 1280), (analysis.Width, analysis.Height));
        Assert.Equal(new ExifSummary(400, "1/60", "f/2.2",
            new DateTimeOffset(2025, 1, 15, 10, 1, 0, TimeSpan.FromHours(-5)), new DateTime(2025, 1, 15, 10, 1, 0)), analysis.Exif);
        Assert.Equal(TimeSpan.FromHours(-5), analysis.Exif.Timestamp!.Value.Offset);
        Assert.Equal((900, 1200), Jpeg(analysis.Thumbnails[1200]));
        Assert.Equal((450, 600), Jpeg(analysis.Thumbnails[600]));
        Assert.Equal((113, 150), Jpeg(analysis.Thumbnails[150]));
        Assert.Equal(QcStatus.Pass, analysis.Qc.Exposure.Status);
    }

    [Fact]
    public void A_photo_smaller_than_a_thumbnail_size_is_not_upscaled()
    {
        var analysis = Analyze(MediaSamples.Small);

        Assert.Equal((640, 480), (analysis.Width, analysis.Height));
        Assert.Equal(ExifSummary.None, analysis.Exif);
        Assert.Equal((640, 480), Jpeg(analysis.Thumbnails[1200]));
        Assert.Equal((600, 450), Jpeg(analysis.Thumbnails[600]));
        Assert.Equal((150, 113), Jpeg(analysis.Thumbnails[150]));
    }

    [Fact]
    public void A_sharp_photo_passes_and_its_blurred_copy_scores_far_lower_and_does_not()
    {
        var sharp = Analyze(samples.Untagged).Qc.Sharpness;
        var blurred = Analyze(samples.Blurred).Qc.Sharpness;

        Assert.True(sharp.Score > 4 * blurred.Score, $"sharp {sharp.Score}, blurred {blurred.Score}");
        Assert.Equal(QcStatus.Pass, sharp.Status);
        Assert.NotEqual(QcStatus.Pass, blurred.Status);
    }

    [Fact]
    public void Sharpness_statuses_follow_the_configured_thresholds()
    {
        var score = Analyze(samples.Untagged).Qc.Sharpness.Score;

        Assert.Equal(QcStatus.Pass, Sharpness(warn: score - 1, fail: score - 2));
        Assert.Equal(QcStatus.Warn, Sharpness(warn: score + 1, fail: score - 1));
        Assert.Equal(QcStatus.Fail, Sharpness(warn: score + 2, fail: score + 1));

        string Sharpness(double warn, double fail) =>
            Processor(o => (o.SharpnessWarn, o.SharpnessFail) = (warn, fail)).Analyze(samples.Untagged, CancellationToken.None).Qc.Sharpness.Status;
    }

    [Fact]
    public void A_well_exposed_photo_passes_and_dark_and_blown_out_ones_fail()
    {
        var normal = Analyze(samples.Untagged).Qc.Exposure;
        var dark = Analyze(samples.Dark).Qc.Exposure;
        var blownOut = Analyze(samples.BlownOut).Qc.Exposure;

        Assert.Equal(QcStatus.Pass, normal.Status);
        Assert.True(normal.ShadowsClipped < 0.01 && normal.HighlightsClipped < 0.01, normal.ToString());
        Assert.InRange(normal.Mean, 100, 170);

        Assert.Equal(QcStatus.Fail, dark.Status);
        Assert.True(dark.ShadowsClipped > 0.5 && dark.Mean < 10, dark.ToString());

        Assert.Equal(QcStatus.Fail, blownOut.Status);
        Assert.True(blownOut.HighlightsClipped > 0.5 && blownOut.Mean > 200, blownOut.ToString());
    }

    [Fact]
    public void Exposure_warns_between_its_thresholds()
    {
        var dark = Analyze(samples.Dark).Qc.Exposure;

        var status = Processor(o => (o.ShadowsClippedWarn, o.ShadowsClippedFail) = (dark.ShadowsClipped - 0.01, dark.ShadowsClipped + 0.01))
            .Analyze(samples.Dark, CancellationToken.None).Qc.Exposure.Status;
        Assert.Equal(QcStatus.Warn, status);
    }

    [Fact]
    public void A_cancelled_analysis_stops()
    {
        Assert.ThrowsAny<OperationCanceledException>(() => Processor().Analyze(samples.Photo, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void NetVips_runs_the_systems_libvips_with_heif_support()
    {
        _ = Processor();

        var loaded = LibVips.LoadedFrom;
        Assert.NotNull(loaded);
        Assert.False(loaded.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal), $"libvips came from the app folder: {loaded}");
        Assert.Empty(Directory.EnumerateFiles(AppContext.BaseDirectory, "libvips*", SearchOption.AllDirectories));
        Assert.True(NetVips.NetVips.AtLeastLibvips(8, 12), LibVips.Version);
        Assert.NotEqual(IntPtr.Zero, NetVips.NetVips.TypeFind("VipsOperation", "heifload"));
    }

    [Fact]
    public void Libvips_started_for_another_module_runs_with_the_media_modules_thread_count()
    {
        ModuleServices.Get<LibVips>().EnsureStarted();

        Assert.Equal(new ImageProcessingOptions().Concurrency, NetVips.NetVips.Concurrency);
    }
}
