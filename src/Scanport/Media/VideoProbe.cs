using System.Globalization;
using System.Text;
using System.Text.Json;
using Scanport.Processes;

namespace Scanport.Media;

/// <summary>
/// Checks that a local file is a video Scanport accepts (MP4, MOV, AVI or MKV with a decodable video stream), by its
/// content, with ffprobe.
/// </summary>
/// <remarks>
/// A file is first recognised by its leading bytes (<see cref="MediaSignature"/>), and only an accepted container reaches
/// ffprobe, with that container's demuxer forced (<c>-f</c>): ffprobe never guesses, so an HLS playlist or an ffconcat
/// script, which would make it open the local files they name, is never parsed as one. <c>-protocol_whitelist file</c>
/// and a <c>file:</c> URL keep it off the network and keep a path from being read as another protocol. ffprobe counts the
/// packets (<c>-count_packets</c>: one read through the file, no decoding) to tell a truncated MP4, MOV or AVI from a
/// whole one; a truncated MKV has no index to compare with and passes (extraction then gets the frames that are there).
/// </remarks>
public sealed class VideoProbe(ProcessRunner runner)
{
    /// <summary>The longest a probe may take before the file counts as unreadable (a 500 MB file takes about a second).</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Probes the file at <paramref name="path"/>, a local regular file (download an upload first).</summary>
    /// <returns>The video, or why it is refused; an expected refusal is a result, never an exception.</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; ffprobe is killed first.</exception>
    public async Task<VideoProbeResult> ProbeAsync(string path, CancellationToken ct)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException("No video at this path.", path);
        // A FIFO, a device or a /proc file has no length: refused before anything opens it.
        if (file.Length == 0) return VideoProbeResult.Refused(VideoRejection.UnsupportedFormat, "not a video: the file is empty");

        var format = await MediaSignature.IdentifyAsync(file.FullName, ct);
        if (!format.IsVideo())
        {
            var rejection = format is MediaFormat.Wav or MediaFormat.Mp3 ? VideoRejection.NoVideo : VideoRejection.UnsupportedFormat;
            return VideoProbeResult.Refused(rejection, MediaSignature.NotAVideo(format));
        }

        // -v quiet -show_error: stdout and stderr reach one callback, so the error travels inside the JSON instead.
        var json = new StringBuilder();
        ProcessResult run;
        try
        {
            run = await runner.RunAsync("ffprobe", Arguments(file.FullName, format), line =>
            {
                json.Append(line).Append('\n');
                return Task.CompletedTask;
            }, ct, timeout: Timeout);
        }
        catch (ProcessFailedException e) when (e.TimedOut)
        {
            return VideoProbeResult.Refused(VideoRejection.Corrupt, $"not a video: ffprobe could not read it within {Timeout.TotalSeconds:0} s");
        }
        return Interpret(format, run.ExitCode, json.ToString());
    }

    internal static IReadOnlyList<string> Arguments(string path, MediaFormat format) =>
    [
        "-v", "quiet", "-show_error", "-protocol_whitelist", "file", "-f", Demuxer(format),
        "-count_packets", "-select_streams", "V", "-show_format", "-show_streams", "-of", "json", "file:" + path,
    ];

    /// <summary>The demuxer ffmpeg must use for a container (<c>-f</c>), and the <c>format_name</c> it reports.</summary>
    internal static string Demuxer(MediaFormat format) => format switch
    {
        MediaFormat.Mp4 or MediaFormat.Mov => "mov",
        MediaFormat.Avi => "avi",
        MediaFormat.Mkv => "matroska",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a video container"),
    };

    private static string FormatName(MediaFormat format) => format switch
    {
        MediaFormat.Mp4 or MediaFormat.Mov => "mov,mp4,m4a,3gp,3g2,mj2",
        MediaFormat.Avi => "avi",
        _ => "matroska,webm",
    };

    /// <summary>Reads ffprobe's JSON (<see cref="Arguments"/>) into a result.</summary>
    internal static VideoProbeResult Interpret(MediaFormat format, int exitCode, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return Unreadable(null);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error)) return Unreadable(Text(error, "string"));
            if (exitCode != 0 || !root.TryGetProperty("format", out var container)) return Unreadable(null);
            if (Text(container, "format_name") != FormatName(format))
                return VideoProbeResult.Refused(VideoRejection.UnsupportedFormat, $"not a video: ffprobe read it as {Text(container, "format_name")}");

            // -select_streams V: video streams only, cover art and thumbnails left out.
            if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
                return VideoProbeResult.Refused(VideoRejection.NoVideo, "no video stream");
            var stream = streams[0];
            var codec = Text(stream, "codec_name");
            // ffprobe knows the pixel format only when it could decode (or parse) the stream.
            if (codec is null or "none" || Text(stream, "pix_fmt") is null)
                return VideoProbeResult.Refused(VideoRejection.NoVideo, $"no video stream that can be decoded (codec {codec ?? Text(stream, "codec_tag_string") ?? "unknown"})");
            var (width, height) = (Integer(stream, "width") ?? 0, Integer(stream, "height") ?? 0);
            if (width <= 0 || height <= 0) return VideoProbeResult.Refused(VideoRejection.NoVideo, "the video stream has no picture size");
            var duration = Number(stream, "duration") is > 0 and var d ? d : Number(container, "duration");
            if (duration is not > 0 || !double.IsFinite(duration.Value)) return VideoProbeResult.Refused(VideoRejection.NoVideo, "the video has no duration");

            var indexed = Integer(stream, "nb_frames");
            var read = Integer(stream, "nb_read_packets");
            // 5 % slack: edit lists and codec delay may leave a container's count a little off the packets read.
            if (indexed > 0 && read is { } present && present < indexed * 0.95)
                return VideoProbeResult.Refused(VideoRejection.Corrupt, $"the video is truncated or damaged: {present} of its {indexed} frames are there");
            var frameCount = indexed > 0 ? indexed : read;
            var rate = Rate(Text(stream, "avg_frame_rate")) ?? Rate(Text(stream, "r_frame_rate")) ?? (frameCount / duration ?? 0);
            return new VideoProbeResult(new VideoInfo(Container(format), codec, (int)width, (int)height, duration.Value, rate, frameCount), null);
        }
    }

    private static string Container(MediaFormat format) => format.ToString().ToLowerInvariant();

    private static VideoProbeResult Unreadable(string? why) =>
        VideoProbeResult.Refused(VideoRejection.Corrupt, why is null ? "not a video: ffprobe could not read it" : $"not a video: ffprobe could not read it ({why})");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ffprobe writes some numbers as JSON numbers (width) and some as strings (duration, nb_frames).
    private static double? Number(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static long? Integer(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetInt64()
        : long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    /// <summary>"30000/1001" → 29.97; null for "0/0" and the like.</summary>
    private static double? Rate(string? fraction)
    {
        var parts = fraction?.Split('/');
        if (parts is not [var n, var d]) return null;
        return double.TryParse(n, CultureInfo.InvariantCulture, out var num) && double.TryParse(d, CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0
            ? num / den : null;
    }
}
