using System.Diagnostics;
using Scanport.Media;

namespace Scanport.Tests.Media;

[Collection(MediaSamples.Collection)]
public class RefusalTests(MediaSamples samples)
{
    private static ImageRejectedException Refusal(string path) =>
        Assert.Throws<ImageRejectedException>(() => ImageProcessorTests.Processor().Analyze(path, CancellationToken.None));

    [Fact]
    public void Random_bytes_named_jpg_are_not_an_image()
    {
        var refusal = Refusal(samples.RandomBytes);

        Assert.Equal(ImageRejection.UnsupportedFormat, refusal.Reason);
        Assert.Equal("The file is not an image (neither JPEG nor HEIC).", refusal.Message);
    }

    [Fact]
    public void A_png_or_gif_named_jpg_is_refused_by_its_content()
    {
        var png = Refusal(samples.PngNamedJpg);
        var gif = Refusal(samples.GifNamedJpg);

        Assert.Equal(ImageRejection.UnsupportedFormat, png.Reason);
        Assert.Equal("The file is a PNG image, not a JPEG or HEIC (the content counts, not the file name).", png.Message);
        Assert.Equal(ImageRejection.UnsupportedFormat, gif.Reason);
        Assert.Equal("The file is a GIF image, not a JPEG or HEIC (the content counts, not the file name).", gif.Message);
    }

    [Fact]
    public void An_avif_is_heif_but_not_heic()
    {
        var refusal = Refusal(samples.Avif);

        Assert.Equal(ImageRejection.UnsupportedFormat, refusal.Reason);
        Assert.Contains("compressed with AV1", refusal.Message);
    }

    [Fact]
    public void A_truncated_jpeg_is_refused_not_filled_with_grey()
    {
        var refusal = Refusal(samples.TruncatedJpeg);

        Assert.Equal(ImageRejection.Corrupt, refusal.Reason);
        Assert.Equal("The image data is truncated or corrupt (VipsJpeg: Premature end of input file).", refusal.Message);
    }

    [Fact]
    public void A_truncated_heic_is_refused()
    {
        var refusal = Refusal(samples.TruncatedHeic);

        Assert.Equal(ImageRejection.Corrupt, refusal.Reason);
        Assert.StartsWith("The image ", refusal.Message);
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header_before_any_decoding()
    {
        var processor = ImageProcessorTests.Processor();
        using var process = Process.GetCurrentProcess();
        var peakBefore = process.PeakWorkingSet64;
        var clock = Stopwatch.StartNew();

        var refusal = Assert.Throws<ImageRejectedException>(() => processor.Analyze(samples.Bomb, CancellationToken.None));

        clock.Stop();
        process.Refresh();
        Assert.Equal(ImageRejection.TooManyPixels, refusal.Reason);
        Assert.Equal("The image is 30000x30000 (900 megapixels); at most 100 megapixels are accepted.", refusal.Message);
        // Decoding 900 megapixels would take seconds and, in memory, 2.7 GB.
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");
        Assert.True(process.PeakWorkingSet64 - peakBefore < 100_000_000, $"peak working set grew by {(process.PeakWorkingSet64 - peakBefore) / 1e6:0} MB");
    }

    [Fact]
    public void The_pixel_limit_is_configurable()
    {
        var refusal = Assert.Throws<ImageRejectedException>(() =>
            ImageProcessorTests.Processor(o => o.MaxPixels = 640 * 480 - 1).Analyze(MediaSamples.Small, CancellationToken.None));

        Assert.Equal(ImageRejection.TooManyPixels, refusal.Reason);
        Assert.Equal(640, ImageProcessorTests.Processor(o => o.MaxPixels = 640 * 480).Analyze(MediaSamples.Small, CancellationToken.None).Width);
    }
}
