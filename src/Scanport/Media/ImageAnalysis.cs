namespace Scanport.Media;

/// <summary>What <see cref="ImageProcessor.Analyze"/> found in one photo.</summary>
/// <param name="ContentType"><c>image/jpeg</c> or <c>image/heic</c>, from the file's content (not its name).</param>
/// <param name="Width">Width of the original as displayed, after its orientation is applied (EXIF for JPEG, the HEIF transforms for HEIC).</param>
/// <param name="Height">Height of the original as displayed.</param>
/// <param name="Exif">Capture settings; fields the file lacks are null.</param>
/// <param name="Thumbnails">Baseline sRGB JPEGs without metadata, keyed by the configured long edge. Never upscaled:
/// an original smaller than a size gives its own size under that key.</param>
/// <param name="Qc">Sharpness and exposure checks.</param>
public sealed record ImageAnalysis(
    string ContentType,
    int Width,
    int Height,
    ExifSummary Exif,
    IReadOnlyDictionary<int, byte[]> Thumbnails,
    ImageQc Qc);

/// <summary>The capture settings from EXIF; each is null when the file does not say.</summary>
/// <param name="Iso">ISO speed (EXIF PhotographicSensitivity).</param>
/// <param name="Shutter">Exposure time as photographers write it: <c>1/250</c>, <c>0.8</c>, <c>2</c> (seconds).</param>
/// <param name="Aperture">F-number: <c>f/1.8</c>, <c>f/8</c>.</param>
/// <param name="Timestamp">DateTimeOriginal (with SubSecTimeOriginal) at OffsetTimeOriginal: set only when the offset is known,
/// since without it the instant is unknown.</param>
/// <param name="LocalTime">DateTimeOriginal as the camera's clock showed it (<see cref="DateTimeKind.Unspecified"/>),
/// whether or not the offset is known.</param>
public sealed record ExifSummary(int? Iso, string? Shutter, string? Aperture, DateTimeOffset? Timestamp, DateTime? LocalTime)
{
    public static ExifSummary None { get; } = new(null, null, null, null, null);
}

/// <summary>Quality checks; each status is one of <see cref="QcStatus"/>.</summary>
public sealed record ImageQc(SharpnessQc Sharpness, ExposureQc Exposure);

/// <summary>Variance of the Laplacian of a grey downscale (<see cref="ImageProcessingOptions.SharpnessLongEdge"/>): higher is sharper.</summary>
public sealed record SharpnessQc(double Score, string Status);

/// <summary>Exposure from the luminance histogram: fractions (0–1) of pixels clipped at either end, and the mean (0–255).</summary>
public sealed record ExposureQc(string Status, double ShadowsClipped, double HighlightsClipped, double Mean);

/// <summary>The quality-check statuses, worst last.</summary>
public static class QcStatus
{
    public const string Pass = "pass";
    public const string Warn = "warn";
    public const string Fail = "fail";
}
