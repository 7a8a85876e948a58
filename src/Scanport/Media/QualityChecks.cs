using NetVips;

namespace Scanport.Media;

/// <summary>Sharpness and exposure of one photo, measured on a small grey downscale that is already in memory.</summary>
internal sealed class QualityChecks(ImageProcessingOptions options)
{
    private static readonly Image Laplacian = Image.NewFromArray(new[,] { { 0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } });

    /// <param name="image">An 8-bit sRGB image whose long edge is at least <see cref="ImageProcessingOptions.SharpnessLongEdge"/>
    /// unless the original itself is smaller (then it is measured at its own size).</param>
    public ImageQc Measure(Image image)
    {
        var size = options.SharpnessLongEdge;
        using var scaled = Math.Max(image.Width, image.Height) > size ? image.ThumbnailImage(size, height: size, size: Enums.Size.Down) : image.Copy();
        using var grey = scaled.Colourspace(Enums.Interpretation.Bw);
        using var luminance = grey.CopyMemory();
        return new ImageQc(Sharpness(luminance), Exposure(luminance));
    }

    private SharpnessQc Sharpness(Image luminance)
    {
        using var edges = luminance.Conv(Laplacian, precision: Enums.Precision.Float);
        var deviation = edges.Deviate();
        var score = Math.Round(deviation * deviation, 1);
        var status = score < options.SharpnessFail ? QcStatus.Fail : score < options.SharpnessWarn ? QcStatus.Warn : QcStatus.Pass;
        return new SharpnessQc(score, status);
    }

    private ExposureQc Exposure(Image luminance)
    {
        using var histogram = luminance.HistFind();
        var counts = histogram.WriteToMemory<uint>();
        double total = 0, sum = 0, shadows = 0, highlights = 0;
        for (var level = 0; level < counts.Length; level++)
        {
            total += counts[level];
            sum += (double)counts[level] * level;
            if (level <= options.ShadowsLevel) shadows += counts[level];
            if (level >= options.HighlightsLevel) highlights += counts[level];
        }
        var shadowsClipped = Math.Round(shadows / total, 4);
        var highlightsClipped = Math.Round(highlights / total, 4);
        var mean = Math.Round(sum / total, 1);
        var status =
            shadowsClipped >= options.ShadowsClippedFail || highlightsClipped >= options.HighlightsClippedFail ? QcStatus.Fail
            : shadowsClipped >= options.ShadowsClippedWarn || highlightsClipped >= options.HighlightsClippedWarn
              || mean < options.MeanWarnBelow || mean > options.MeanWarnAbove ? QcStatus.Warn
            : QcStatus.Pass;
        return new ExposureQc(status, shadowsClipped, highlightsClipped, mean);
    }
}
