namespace Scanport.Media;

/// <summary>A video Scanport accepts, as ffprobe read it.</summary>
/// <param name="Container">"mp4", "mov", "avi" or "mkv", from the file's content.</param>
/// <param name="Codec">ffmpeg's name for the video codec ("h264", "hevc", "mpeg4" ...).</param>
/// <param name="Width">Coded width in pixels (before any rotation the container asks for).</param>
/// <param name="Height">Coded height in pixels.</param>
/// <param name="DurationSeconds">Always greater than 0.</param>
/// <param name="FrameRate">Average frames per second; 0 when neither the container nor the packets tell.</param>
/// <param name="FrameCount">Frames in the video stream: the container's index where it has one, else the packets counted.</param>
public sealed record VideoInfo(string Container, string Codec, int Width, int Height, double DurationSeconds, double FrameRate, long? FrameCount);

/// <summary>Why a file is not a video Scanport accepts.</summary>
public enum VideoRejection
{
    /// <summary>Not one of the accepted containers (MP4, MOV, AVI, MKV): an image, a playlist, random bytes (400 or 415).</summary>
    UnsupportedFormat,
    /// <summary>An accepted container that ffprobe cannot read, or whose frames are not all there (422).</summary>
    Corrupt,
    /// <summary>A readable container with no video to extract frames from: audio only, an undecodable codec, no size or no duration (422).</summary>
    NoVideo,
}

/// <summary>
/// What <see cref="VideoProbe.ProbeAsync"/> found: either <see cref="Video"/>, or <see cref="Error"/> (a sentence for
/// the uploader) with <see cref="Rejection"/>.
/// </summary>
public sealed record VideoProbeResult(VideoInfo? Video, string? Error)
{
    public VideoRejection? Rejection { get; init; }

    public bool Accepted => Video is not null;

    internal static VideoProbeResult Refused(VideoRejection rejection, string error) => new(null, error) { Rejection = rejection };
}
