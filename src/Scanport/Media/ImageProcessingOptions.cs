using System.ComponentModel.DataAnnotations;

namespace Scanport.Media;

/// <summary>The <c>Media:Images</c> configuration section: limits, thumbnail sizes and quality-check thresholds.</summary>
public sealed class ImageProcessingOptions : IValidatableObject
{
    public const string Section = "Media:Images";

    /// <summary>Largest accepted image (width × height of the header), checked before any pixel is decoded.</summary>
    [Range(1, long.MaxValue)] public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Long edges of the JPEG thumbnails, in pixels. Configured sizes replace these defaults (not appended).</summary>
    public int[] ThumbnailSizes { get; set; } = [150, 600, 1200];

    /// <summary>JPEG quality (Q) of the thumbnails.</summary>
    [Range(1, 100)] public int ThumbnailQuality { get; set; } = 82;

    /// <summary>
    /// Long edge of the grey downscale the sharpness score is computed on, so scores compare across resolutions.
    /// 1024 rather than 512: a blur of sigma 3 px on a 12-megapixel photo is 0.4 px at 512 and barely moves the score.
    /// </summary>
    [Range(64, 4096)] public int SharpnessLongEdge { get; set; } = 1024;

    /// <summary>Sharpness (variance of the Laplacian) below this warns.</summary>
    [Range(0, double.MaxValue)] public double SharpnessWarn { get; set; } = 300;

    /// <summary>Sharpness below this fails.</summary>
    [Range(0, double.MaxValue)] public double SharpnessFail { get; set; } = 100;

    /// <summary>Luminance (0–255) at or below which a pixel counts as clipped in the shadows.</summary>
    [Range(0, 254)] public int ShadowsLevel { get; set; } = 4;

    /// <summary>Luminance (0–255) at or above which a pixel counts as clipped in the highlights.</summary>
    [Range(1, 255)] public int HighlightsLevel { get; set; } = 251;

    /// <summary>Fractions of pixels clipped in the shadows that warn and fail.</summary>
    [Range(0.0, 1.0)] public double ShadowsClippedWarn { get; set; } = 0.10;
    [Range(0.0, 1.0)] public double ShadowsClippedFail { get; set; } = 0.30;

    /// <summary>Fractions of pixels clipped in the highlights that warn and fail (a white studio backdrop may need more).</summary>
    [Range(0.0, 1.0)] public double HighlightsClippedWarn { get; set; } = 0.10;
    [Range(0.0, 1.0)] public double HighlightsClippedFail { get; set; } = 0.30;

    /// <summary>Mean luminance (0–255) below or above which exposure warns even without much clipping.</summary>
    [Range(0.0, 255.0)] public double MeanWarnBelow { get; set; } = 40;
    [Range(0.0, 255.0)] public double MeanWarnAbove { get; set; } = 225;

    /// <summary>
    /// libvips worker threads per image (set once per process, by the first processor made). Several images in
    /// parallel (job workers) each use this many.
    /// </summary>
    [Range(1, 64)] public int Concurrency { get; set; } = Environment.ProcessorCount;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ThumbnailSizes.Length == 0 || ThumbnailSizes.Any(s => s is < 16 or > 8192) || ThumbnailSizes.Distinct().Count() != ThumbnailSizes.Length)
            yield return new ValidationResult("Media:Images:ThumbnailSizes must be distinct long edges between 16 and 8192 px.", [nameof(ThumbnailSizes)]);
        else if (SharpnessLongEdge > ThumbnailSizes.Max())
            yield return new ValidationResult("Media:Images:SharpnessLongEdge must not exceed the largest thumbnail size (it is derived from it).", [nameof(SharpnessLongEdge)]);
        if (SharpnessFail > SharpnessWarn)
            yield return new ValidationResult("Media:Images:SharpnessFail must not exceed SharpnessWarn (lower scores are blurrier).", [nameof(SharpnessFail)]);
        if (ShadowsClippedWarn > ShadowsClippedFail || HighlightsClippedWarn > HighlightsClippedFail)
            yield return new ValidationResult("Media:Images clipped-fraction Warn thresholds must not exceed their Fail thresholds.", [nameof(ShadowsClippedWarn), nameof(HighlightsClippedWarn)]);
        if (ShadowsLevel >= HighlightsLevel)
            yield return new ValidationResult("Media:Images:ShadowsLevel must be below HighlightsLevel.", [nameof(ShadowsLevel)]);
        if (MeanWarnBelow >= MeanWarnAbove)
            yield return new ValidationResult("Media:Images:MeanWarnBelow must be below MeanWarnAbove.", [nameof(MeanWarnBelow)]);
    }
}
