using System.Buffers.Binary;
using System.Diagnostics;
using Scanport.Media;

namespace Scanport.Tests.Media;

[Collection(VideoSamples.Collection)]
public class FrameExtractorTests(VideoSamples samples)
{
    private string NewDir() => samples.At($"frames-{Guid.NewGuid():N}");

    private static Task<FrameExtractionResult> Extract(string video, string dir, FrameExtractionOptions options, Func<double, Task>? progress = null) =>
        ModuleServices.Get<FrameExtractor>().ExtractAsync(video, dir, options, progress, CancellationToken.None);

    [Fact]
    public async Task One_frame_every_half_second_of_a_3_second_video_is_6_jpegs_at_full_size()
    {
        var dir = NewDir();

        var result = await Extract(VideoSamples.Orbit, dir, new FrameExtractionOptions(0.5, 100));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(6, result.TotalFrames);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => Path.Combine(dir, $"frame_{i:000000}.jpg")), result.Frames);
        Assert.All(result.Frames, frame => Assert.Equal((640, 480), JpegSize(frame)));
        Assert.Equal(Directory.GetFiles(dir).Order(), result.Frames);
        Assert.Equal("mp4", result.Video!.Container);
    }

    [Fact]
    public async Task The_frame_cap_stops_extraction()
    {
        var result = await Extract(VideoSamples.Orbit, NewDir(), new FrameExtractionOptions(0.1, 10));

        Assert.Equal(10, result.TotalFrames);
    }

    [Fact]
    public async Task Progress_rises_and_ends_at_1()
    {
        var reports = new List<double>();

        var result = await Extract(samples.Long, NewDir(), new FrameExtractionOptions(1, 30), p =>
        {
            reports.Add(p);
            return Task.CompletedTask;
        });

        Assert.Equal(30, result.TotalFrames);
        Assert.True(reports.Count >= 2, $"only {reports.Count} reports");
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.First} then {pair.Second}"));
        Assert.All(reports, p => Assert.InRange(p, 0.0001, 1));
        Assert.Equal(1.0, reports[^1]);
    }

    [Theory]
    [InlineData(320, 320, 240)]
    [InlineData(1000, 640, 480)]
    public async Task Frames_are_scaled_down_to_the_long_edge_never_up(int longEdge, int width, int height)
    {
        var result = await Extract(VideoSamples.Orbit, NewDir(), new FrameExtractionOptions(1, 10, longEdge));

        Assert.Equal(3, result.TotalFrames);
        Assert.All(result.Frames, frame => Assert.Equal((width, height), JpegSize(frame)));
    }

    [Fact]
    public async Task Frames_come_from_avi_and_mkv_as_from_mp4()
    {
        var avi = await Extract(samples.Avi, NewDir(), new FrameExtractionOptions(0.5, 100));
        var mkv = await Extract(samples.Mkv, NewDir(), new FrameExtractionOptions(0.5, 100));

        Assert.Equal((6, 6), (avi.TotalFrames, mkv.TotalFrames));
    }

    [Theory]
    [InlineData(0.0, 10, null, "the interval must be more than 0 seconds")]
    [InlineData(double.NaN, 10, null, "the interval must be more than 0 seconds")]
    [InlineData(5.0, 10, null, "the interval (5 s) is longer than the video (3 s)")]
    [InlineData(0.5, 0, null, "the frame cap must be between 1 and 10000")]
    [InlineData(0.5, 10_001, null, "the frame cap must be between 1 and 10000")]
    [InlineData(0.5, 10, 8, "the long edge must be between 16 and 16384 pixels")]
    public async Task Options_that_do_not_fit_the_video_are_refused_before_ffmpeg_runs(double interval, int cap, int? longEdge, string error)
    {
        var dir = NewDir();

        var result = await Extract(VideoSamples.Orbit, dir, new FrameExtractionOptions(interval, cap, longEdge));

        Assert.Equal((FrameExtractionFailure.InvalidOptions, error), (result.Failure!.Value, result.Error));
        Assert.Empty(result.Frames);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_file_that_is_not_a_video_gives_the_probes_reason()
    {
        var dir = NewDir();

        var result = await Extract(samples.Truncated, dir, new FrameExtractionOptions(1, 10));

        Assert.Equal(FrameExtractionFailure.UnreadableVideo, result.Failure);
        Assert.Equal("not a video: ffprobe could not read it (Invalid data found when processing input)", result.Error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_video_probed_at_upload_is_not_probed_again()
    {
        var probe = await ModuleServices.Get<VideoProbe>().ProbeAsync(VideoSamples.Orbit, CancellationToken.None);

        var result = await ModuleServices.Get<FrameExtractor>().ExtractAsync(VideoSamples.Orbit, probe.Video!, NewDir(), new FrameExtractionOptions(0.5, 100), null, CancellationToken.None);

        Assert.Equal(6, result.TotalFrames);
        Assert.Same(probe.Video, result.Video);
    }

    [Fact]
    public async Task A_file_that_is_no_longer_the_probed_video_is_refused_before_ffmpeg_runs()
    {
        var dir = NewDir();
        var probe = await ModuleServices.Get<VideoProbe>().ProbeAsync(VideoSamples.Orbit, CancellationToken.None);

        var result = await ModuleServices.Get<FrameExtractor>().ExtractAsync(samples.JpegNamedMp4, probe.Video!, dir, new FrameExtractionOptions(0.5, 100), null, CancellationToken.None);

        Assert.Equal(FrameExtractionFailure.UnreadableVideo, result.Failure);
        Assert.Equal("the file is no longer the mp4 video that was probed", result.Error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task When_ffmpeg_fails_its_message_is_the_error_and_nothing_is_left()
    {
        var dir = NewDir();
        var probe = await ModuleServices.Get<VideoProbe>().ProbeAsync(VideoSamples.Orbit, CancellationToken.None);

        // The first 10 KB of the same MP4: its signature still says MP4, its index is gone.
        var result = await ModuleServices.Get<FrameExtractor>().ExtractAsync(samples.Truncated, probe.Video!, dir, new FrameExtractionOptions(0.5, 100), null, CancellationToken.None);

        Assert.Equal(FrameExtractionFailure.FfmpegFailed, result.Failure);
        Assert.StartsWith("ffmpeg could not extract frames (exit 1): ", result.Error);
        Assert.Contains("moov atom not found", result.Error);
        Assert.Empty(result.Frames);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task An_output_directory_with_files_in_it_is_refused()
    {
        var dir = NewDir();
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "frame_000001.jpg"), "someone else's");

        await Assert.ThrowsAsync<ArgumentException>(() => Extract(VideoSamples.Orbit, dir, new FrameExtractionOptions(1, 10)));
        Assert.Equal("someone else's", await File.ReadAllTextAsync(Path.Combine(dir, "frame_000001.jpg")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancelling_kills_ffmpeg_within_seconds_and_deletes_the_partial_frames(bool callerMadeTheDir)
    {
        var dir = NewDir();
        if (callerMadeTheDir) Directory.CreateDirectory(dir);
        using var cancel = new CancellationTokenSource();
        // One frame every 0.1 s of 60 s: 600 JPEGs, several seconds of work.
        var run = ModuleServices.Get<FrameExtractor>().ExtractAsync(samples.Long, dir, new FrameExtractionOptions(0.1, 10_000), null, cancel.Token);
        var ffmpeg = await Eventually(() => FfmpegChildren(dir) is [var pid] && Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any() ? pid : (int?)null);

        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        clock.Stop();

        // "Within seconds", with room for a loaded CI machine: a kill that is not delivered never returns at all.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.False(Directory.Exists($"/proc/{ffmpeg}"), $"ffmpeg ({ffmpeg}) is still there");
        Assert.Empty(FfmpegChildren(dir));
        if (callerMadeTheDir) Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
        else Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Ffmpeg_gets_one_input_held_to_local_files_and_writes_numbered_jpegs()
    {
        var video = new VideoInfo("mkv", "h264", 1920, 1080, 30, 30, 900);

        var arguments = FrameExtractor.Arguments("/in/v.mkv", video, "/out", new FrameExtractionOptions(0.5, 120, 1280));

        Assert.Equal(
            ["-nostdin", "-v", "error", "-protocol_whitelist", "file", "-f", "matroska", "-i", "file:/in/v.mkv",
             "-map", "0:V:0", "-vf", "fps=1/0.5,scale=w='min(iw,1280)':h='min(ih,1280)':force_original_aspect_ratio=decrease",
             "-frames:v", "120", "-q:v", "2", "-f", "image2", "file:/out/frame_%06d.jpg", "-progress", "pipe:1", "-nostats"],
            arguments);
        Assert.Contains("file:/out/50%%/frame_%06d.jpg", FrameExtractor.Arguments("/in/v.mkv", video, "/out/50%", new FrameExtractionOptions(1, 1)));
    }

    /// <summary>The processes this test process started whose command line names <paramref name="dir"/>, from /proc.</summary>
    private static List<int> FfmpegChildren(string dir)
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                // pid (comm) state ppid ...: comm may hold spaces and parentheses, so count from the last ')'.
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                if (parent == Environment.ProcessId && commandLine[0].EndsWith("ffmpeg") && commandLine.Any(a => a.Contains(dir)))
                    children.Add(pid);
            }
            catch (IOException)
            {
                // It exited while we looked.
            }
        }
        return children;
    }

    private static async Task<int> Eventually(Func<int?> probe)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (probe() is { } value) return value;
            await Task.Delay(20);
        }
        throw new TimeoutException("ffmpeg did not start writing frames within 30 s");
    }

    /// <summary>Width and height from a JPEG's start-of-frame segment; fails unless the file is a JPEG.</summary>
    private static (int Width, int Height) JpegSize(string path)
    {
        var jpeg = File.ReadAllBytes(path);
        Assert.True(jpeg is [0xFF, 0xD8, ..], $"{path} is not a JPEG");
        for (var at = 2; at + 9 < jpeg.Length;)
        {
            var marker = jpeg[at + 1];
            if (marker is >= 0xC0 and <= 0xC3)
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 5)));
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
        }
        throw new InvalidOperationException($"{path} has no start-of-frame segment");
    }
}
