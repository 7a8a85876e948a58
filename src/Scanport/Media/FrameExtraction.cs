namespace Scanport.Media;

/// <summary>How to take frames from a video.</summary>
/// <param name="IntervalSeconds">One frame every this many seconds of video, the first at 0; more than 0, at most the video's duration.</param>
/// <param name="MaxFrames">At most this many frames (1 to <see cref="FrameLimit"/>); extraction stops there.</param>
/// <param name="MaxLongEdge">Frames larger than this on their long edge are scaled down to it, keeping their aspect; never scaled up. Null: the video's size.</param>
public sealed record FrameExtractionOptions(double IntervalSeconds, int MaxFrames, int? MaxLongEdge = null)
{
    public const int FrameLimit = 10_000;
    public const int MinLongEdge = 16;
    public const int MaxLongEdgeLimit = 16_384;

    /// <summary>Why these options cannot apply to a video of <paramref name="durationSeconds"/>; null when they can.</summary>
    public string? Validate(double durationSeconds)
    {
        if (!double.IsFinite(IntervalSeconds) || IntervalSeconds <= 0) return "the interval must be more than 0 seconds";
        if (IntervalSeconds > durationSeconds)
            return FormattableString.Invariant($"the interval ({IntervalSeconds:0.###} s) is longer than the video ({durationSeconds:0.###} s)");
        if (MaxFrames is < 1 or > FrameLimit) return $"the frame cap must be between 1 and {FrameLimit}";
        if (MaxLongEdge is < MinLongEdge or > MaxLongEdgeLimit) return $"the long edge must be between {MinLongEdge} and {MaxLongEdgeLimit} pixels";
        return null;
    }
}

/// <summary>Why frames could not be extracted.</summary>
public enum FrameExtractionFailure
{
    /// <summary>The options do not fit the video (interval, cap or size out of range): the request's fault (400).</summary>
    InvalidOptions,
    /// <summary>The file is not a video Scanport accepts (see <see cref="VideoProbe"/>) (422).</summary>
    UnreadableVideo,
    /// <summary>ffmpeg failed, or wrote no frame, on a video that probed well (422, or 500 if it repeats).</summary>
    FfmpegFailed,
}

/// <summary>
/// The frames, in order, as paths of JPEGs in the output directory (<c>frame_000001.jpg</c> is at 0 s, frame n at
/// about (n - 1) × the interval); or, with none, <see cref="Error"/> and <see cref="Failure"/>.
/// </summary>
public sealed record FrameExtractionResult(IReadOnlyList<string> Frames, VideoInfo? Video, string? Error)
{
    public FrameExtractionFailure? Failure { get; init; }

    public bool Succeeded => Error is null;

    /// <summary>The frame count a job reports (<c>total_frames</c>).</summary>
    public int TotalFrames => Frames.Count;

    internal static FrameExtractionResult Failed(FrameExtractionFailure failure, string error, VideoInfo? video = null) =>
        new([], video, error) { Failure = failure };
}
