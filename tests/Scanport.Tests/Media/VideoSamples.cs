namespace Scanport.Tests.Media;

/// <summary>
/// Test videos and look-alikes, made once per run with ffmpeg (./test installs it) from the rendered scene video
/// ../shared/data/scenes/orbit-30.mp4 (3 s, 10 fps, 640x480 H.264) and lavfi sources. Nothing binary is committed;
/// making them takes about a second.
/// </summary>
public sealed class VideoSamples : IAsyncLifetime
{
    public const string Collection = "Videos";

    private readonly string dir = Path.Combine(Path.GetTempPath(), $"scanport-videos-{Guid.NewGuid():N}");

    public static string Orbit => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30.mp4");
    public static string OrbitFrame => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", "frame_000.jpg");
    /// <summary>The orbit's H.264 stream remuxed (<c>-c copy</c>) into Matroska.</summary>
    public string Mkv => At("orbit.mkv");
    /// <summary>The orbit's H.264 stream remuxed into QuickTime (brand <c>qt</c>).</summary>
    public string Mov => At("orbit.mov");
    /// <summary>The orbit re-encoded to MPEG-4 part 2 (FMP4) in AVI, the codec AVI files usually carry.</summary>
    public string Avi => At("orbit.avi");
    /// <summary>The orbit looped 20 times (<c>-c copy</c>): 60 s, 600 frames, for cancelling a run that lasts seconds.</summary>
    public string Long => At("long.mp4");

    public string RandomBytes => At("random.mp4");
    /// <summary>The first 10 KB of the orbit: its index (moov) is at the end, so it is gone.</summary>
    public string Truncated => At("truncated.mp4");
    /// <summary>The orbit with its index moved to the front (faststart), cut at 1 MB: the index lists 30 frames, 9 are there.</summary>
    public string TruncatedFaststart => At("truncated-faststart.mp4");
    public string JpegNamedMp4 => At("jpeg.mp4");
    public string Empty => At("empty.mp4");
    /// <summary>An animated GIF of the orbit, named .mp4.</summary>
    public string Gif => At("gif.mp4");
    public string Wav => At("sine.wav");
    public string Mp3 => At("sine.mp3");
    /// <summary>AAC audio alone in an MP4 container: readable, but no video.</summary>
    public string AudioOnlyMp4 => At("audio.mp4");
    /// <summary><see cref="Avi"/> with its codec's FourCC overwritten (ZZZZ): a video stream no decoder handles.</summary>
    public string UndecodableAvi => At("zzzz.avi");
    public string Png => At("frame.png");
    public string Tiff => At("frame.tiff");

    /// <summary>A path in this run's folder, for a test's own files.</summary>
    public string At(string name) => Path.Combine(dir, name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dir);
        await Ffmpeg("-i", Orbit, "-c", "copy", Mkv);
        await Ffmpeg("-i", Orbit, "-c", "copy", Mov);
        await Ffmpeg("-i", Orbit, "-c:v", "mpeg4", "-q:v", "5", Avi);
        await Ffmpeg("-stream_loop", "19", "-i", Orbit, "-c", "copy", Long);

        var random = new byte[64 * 1024];
        new Random(42).NextBytes(random);
        await File.WriteAllBytesAsync(RandomBytes, random);
        var orbit = await File.ReadAllBytesAsync(Orbit);
        await File.WriteAllBytesAsync(Truncated, orbit[..10_240]);
        await Ffmpeg("-i", Orbit, "-c", "copy", "-movflags", "+faststart", At("faststart.mp4"));
        await File.WriteAllBytesAsync(TruncatedFaststart, (await File.ReadAllBytesAsync(At("faststart.mp4")))[..1_000_000]);
        File.Copy(OrbitFrame, JpegNamedMp4);
        await File.WriteAllBytesAsync(Empty, []);
        await Ffmpeg("-i", Orbit, "-vf", "scale=160:-1", "-f", "gif", Gif);
        await Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", Wav);
        await Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", Mp3);
        await Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", AudioOnlyMp4);
        var avi = await File.ReadAllBytesAsync(Avi);
        await File.WriteAllBytesAsync(UndecodableAvi, Replace(avi, "FMP4"u8, "ZZZZ"u8));
        await Ffmpeg("-i", OrbitFrame, Png);
        await Ffmpeg("-i", OrbitFrame, Tiff);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    private static byte[] Replace(byte[] data, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var copy = (byte[])data.Clone();
        var replaced = 0;
        for (var at = copy.AsSpan().IndexOf(from); at >= 0; at = copy.AsSpan().IndexOf(from))
        {
            to.CopyTo(copy.AsSpan(at));
            replaced++;
        }
        Assert.True(replaced > 0, "nothing to replace");
        return copy;
    }

    internal static async Task Ffmpeg(params string[] args)
    {
        var (code, stdout, stderr) = await ExternalProgram.RunAsync("ffmpeg", ["-v", "error", "-nostdin", "-y", .. args]);
        Assert.True(code == 0, $"ffmpeg {string.Join(' ', args)} failed ({code}):\n{stderr}\n{stdout}");
    }
}

/// <summary>The video tests share the samples; they run apart from other collections, since ffmpeg uses every core.</summary>
[CollectionDefinition(VideoSamples.Collection, DisableParallelization = true)]
public sealed class VideoCollection : ICollectionFixture<VideoSamples>;
