using System.Globalization;
using System.Text.RegularExpressions;
using Scanport.Processes;

namespace Scanport.Media;

/// <summary>Takes JPEG frames from a video at a fixed interval, with one ffmpeg run, reporting ffmpeg's own progress.</summary>
/// <remarks>
/// Who deletes what: the caller owns <c>outputDir</c>. It must be empty or absent; the extractor creates it when absent
/// and writes only <c>frame_NNNNNN.jpg</c> files into it. After success the frames are the caller's to store and
/// delete. On a failure, an exception or a cancellation, the extractor deletes every frame it wrote (a half-written one
/// included), and the directory too if it made it, before it returns or throws: nothing is left behind.
/// </remarks>
public sealed partial class FrameExtractor(ProcessRunner runner, VideoProbe probe)
{
    private const string FramePattern = "frame_%06d.jpg";
    private const int ErrorLines = 6;

    /// <summary>
    /// Probes <paramref name="videoPath"/> (<see cref="VideoProbe.ProbeAsync"/>), checks <paramref name="options"/>
    /// against it, and runs ffmpeg once.
    /// </summary>
    /// <param name="videoPath">A local video file (download an upload first).</param>
    /// <param name="outputDir">Where the frames go: empty or absent (see the remarks on who deletes what).</param>
    /// <param name="options">Interval, frame cap and size; checked against the probed duration.</param>
    /// <param name="progress">Called with the fraction done, 0 to 1, increasing, from ffmpeg's <c>-progress</c> output (about
    /// twice a second), and with exactly 1 once the frames are all on disk; may be null.</param>
    /// <param name="ct">Cancels: ffmpeg is killed (its whole process tree), the partial frames are deleted, then this throws.</param>
    /// <returns>The frames, or a readable error (invalid options, not a video, ffmpeg failed); expected failures are results.</returns>
    /// <exception cref="ArgumentException"><paramref name="outputDir"/> exists and is not empty.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="videoPath"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<FrameExtractionResult> ExtractAsync(
        string videoPath, string outputDir, FrameExtractionOptions options, Func<double, Task>? progress, CancellationToken ct)
    {
        EnsureEmpty(outputDir);
        var probed = await probe.ProbeAsync(videoPath, ct);
        if (probed.Video is not { } video) return FrameExtractionResult.Failed(FrameExtractionFailure.UnreadableVideo, probed.Error!);
        return await ExtractAsync(videoPath, video, outputDir, options, progress, ct);
    }

    /// <summary>
    /// The same for a video probed before (at upload, its <see cref="VideoInfo"/> kept with the file): no second ffprobe
    /// run, whose process start alone costs 0.1 to 0.4 s. The file's first bytes must still name
    /// <see cref="VideoInfo.Container"/>, and ffmpeg is held to that container's demuxer and to local files either way.
    /// </summary>
    /// <param name="videoPath">A local video file.</param>
    /// <param name="video">What <see cref="VideoProbe.ProbeAsync"/> said of this file.</param>
    /// <param name="outputDir">Where the frames go: empty or absent.</param>
    /// <param name="options">Checked against <see cref="VideoInfo.DurationSeconds"/>.</param>
    /// <param name="progress">As for the other overload: 0 to 1, increasing, ending at exactly 1.</param>
    /// <param name="ct">Cancels: ffmpeg is killed, the partial frames are deleted, then this throws.</param>
    /// <returns>As for the other overload; a file whose first bytes no longer match <paramref name="video"/> is
    /// <see cref="FrameExtractionFailure.UnreadableVideo"/>.</returns>
    public async Task<FrameExtractionResult> ExtractAsync(
        string videoPath, VideoInfo video, string outputDir, FrameExtractionOptions options, Func<double, Task>? progress, CancellationToken ct)
    {
        outputDir = EnsureEmpty(outputDir);
        if (options.Validate(video.DurationSeconds) is { } invalid)
            return FrameExtractionResult.Failed(FrameExtractionFailure.InvalidOptions, invalid, video);
        var format = await MediaSignature.IdentifyAsync(videoPath, ct);
        if (!format.IsVideo() || VideoProbe.Demuxer(format) != Demuxer(video.Container))
            return FrameExtractionResult.Failed(FrameExtractionFailure.UnreadableVideo, $"the file is no longer the {video.Container} video that was probed", video);

        var createdDir = !Directory.Exists(outputDir);
        Directory.CreateDirectory(outputDir);
        try
        {
            var report = new ProgressReport(progress, Math.Min(video.DurationSeconds, options.MaxFrames * options.IntervalSeconds));
            var errors = new Queue<string>();
            var run = await runner.RunAsync("ffmpeg", Arguments(Path.GetFullPath(videoPath), video, outputDir, options), async line =>
            {
                if (ProgressLine().Match(line) is { Success: true } key)
                {
                    if (key.Groups[1].Value == "out_time_us" && long.TryParse(line.AsSpan(key.Length), CultureInfo.InvariantCulture, out var us))
                        await report.TimeAsync(us / 1e6);
                    return;
                }
                errors.Enqueue(line);
                if (errors.Count > ErrorLines) errors.Dequeue();
            }, ct);

            var frames = Directory.GetFiles(outputDir, "frame_*.jpg").Order(StringComparer.Ordinal).ToList();
            if (!run.Succeeded || frames.Count == 0)
            {
                Clean(outputDir, createdDir);
                var why = errors.Count > 0 ? string.Join(" / ", errors) : run.Succeeded ? "it wrote no frames" : "no message";
                return FrameExtractionResult.Failed(FrameExtractionFailure.FfmpegFailed, $"ffmpeg could not extract frames (exit {run.ExitCode}): {why}", video);
            }
            await report.DoneAsync();
            return new FrameExtractionResult(frames, video, null);
        }
        catch
        {
            Clean(outputDir, createdDir);
            throw;
        }
    }

    /// <summary>The ffmpeg arguments: one input, its container's demuxer forced, local files only, frames as JPEG at q 2.</summary>
    internal static IReadOnlyList<string> Arguments(string videoPath, VideoInfo video, string outputDir, FrameExtractionOptions options)
    {
        var filters = "fps=1/" + options.IntervalSeconds.ToString("R", CultureInfo.InvariantCulture);
        // min(): never scale up; decrease: keep the aspect (after any rotation ffmpeg applies), inside an N x N box.
        if (options.MaxLongEdge is { } edge)
            filters += $",scale=w='min(iw,{edge})':h='min(ih,{edge})':force_original_aspect_ratio=decrease";
        // The image2 muxer reads the output path as a printf pattern: a '%' of the directory's own is doubled.
        return
        [
            "-nostdin", "-v", "error", "-protocol_whitelist", "file", "-f", Demuxer(video.Container), "-i", "file:" + videoPath,
            "-map", "0:V:0", "-vf", filters, "-frames:v", options.MaxFrames.ToString(CultureInfo.InvariantCulture), "-q:v", "2",
            "-f", "image2", "file:" + Path.Combine(outputDir.Replace("%", "%%"), FramePattern), "-progress", "pipe:1", "-nostats",
        ];
    }

    private static string EnsureEmpty(string outputDir)
    {
        outputDir = Path.GetFullPath(outputDir);
        if (Directory.Exists(outputDir) && Directory.EnumerateFileSystemEntries(outputDir).Any())
            throw new ArgumentException("The output directory must be empty or absent.", nameof(outputDir));
        return outputDir;
    }

    /// <summary>The demuxer of a probed container (<see cref="VideoInfo.Container"/> is its format's name).</summary>
    private static string Demuxer(string container) => VideoProbe.Demuxer(Enum.Parse<MediaFormat>(container, ignoreCase: true));

    /// <summary>Deletes the frames ffmpeg wrote, and the directory if this extraction made it.</summary>
    private static void Clean(string outputDir, bool createdDir)
    {
        if (!Directory.Exists(outputDir)) return;
        foreach (var frame in Directory.EnumerateFiles(outputDir, "frame_*.jpg")) File.Delete(frame);
        if (createdDir && !Directory.EnumerateFileSystemEntries(outputDir).Any()) Directory.Delete(outputDir);
    }

    /// <summary>The keys ffmpeg's <c>-progress</c> writes (one key=value a line); any other line is a message.</summary>
    [GeneratedRegex(@"^(frame|fps|stream_\d+_\d+_q|bitrate|total_size|out_time_us|out_time_ms|out_time|dup_frames|drop_frames|speed|progress)=")]
    private static partial Regex ProgressLine();

    /// <summary>
    /// Turns ffmpeg's output time into a fraction of the time it will cover (the video, or less where the frame cap stops
    /// it early): increasing, below 1 until the frames are all written.
    /// </summary>
    private sealed class ProgressReport(Func<double, Task>? progress, double coveredSeconds)
    {
        private double reported;

        public Task TimeAsync(double seconds) => ReportAsync(Math.Clamp(seconds / coveredSeconds, 0, 0.99));

        public Task DoneAsync() => ReportAsync(1);

        private Task ReportAsync(double fraction)
        {
            if (progress is null || fraction <= reported) return Task.CompletedTask;
            reported = fraction;
            return progress(fraction);
        }
    }
}
