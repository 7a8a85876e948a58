namespace Scanport.Media;

/// <summary>An image accepted as a frame (<see cref="Format"/> and <see cref="ContentType"/>), or why not (<see cref="Error"/>).</summary>
public sealed record ImageProbeResult(MediaFormat? Format, string? Error)
{
    public bool Accepted => Format is not null;

    /// <summary>"image/jpeg", "image/png" or "image/tiff"; null when refused.</summary>
    public string? ContentType => Format switch
    {
        MediaFormat.Jpeg => "image/jpeg",
        MediaFormat.Png => "image/png",
        MediaFormat.Tiff => "image/tiff",
        _ => null,
    };
}

/// <summary>
/// Recognises an image uploaded as a frame (JPEG, PNG or TIFF) by its first bytes, never by its name. Only the
/// signature is checked: the pixel limit and a truncated image are <see cref="ImageProcessor.Verify"/>'s, which the
/// upload calls next.
/// </summary>
public static class ImageProbe
{
    /// <param name="header">The first bytes of the file or upload (<see cref="MediaSignature.HeaderLength"/> are plenty).</param>
    public static ImageProbeResult Probe(ReadOnlySpan<byte> header) => Result(MediaSignature.Identify(header));

    /// <summary>Reads the first bytes of the local file at <paramref name="path"/>.</summary>
    public static async Task<ImageProbeResult> ProbeAsync(string path, CancellationToken ct) =>
        Result(await MediaSignature.IdentifyAsync(path, ct));

    private static ImageProbeResult Result(MediaFormat format) => format switch
    {
        _ when format.IsFrameImage() => new ImageProbeResult(format, null),
        MediaFormat.Gif => new ImageProbeResult(null, "GIF images are not accepted as frames (JPEG, PNG or TIFF)"),
        _ when format.IsVideo() => new ImageProbeResult(null, $"not an image: the file is a video ({format.ToString().ToUpperInvariant()})"),
        _ => new ImageProbeResult(null, "not an image: the content is not JPEG, PNG or TIFF (the content counts, not the file name)"),
    };
}
