using Scanport.Media;

namespace Scanport.Tests.Media;

/// <summary>
/// An upload that is a text file naming local files (an HLS playlist, an ffconcat script) would make a plain ffprobe open
/// them, even with <c>-protocol_whitelist file</c>. The named file here is a FIFO: opening it for reading is what
/// releases <see cref="NamedPipe.Opened"/>, so the tests see whether anything followed the path, not just the verdict.
/// </summary>
[Collection(VideoSamples.Collection)]
public class PlaylistTrickTests(VideoSamples samples)
{
    private static string Hls(string segment) => $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\n{segment}\n#EXT-X-ENDLIST\n";

    private static string Concat(string file) => $"ffconcat version 1.0\nfile {file}\n";

    [Fact]
    public async Task Without_the_guards_ffprobe_follows_a_playlist_to_the_local_files_it_names()
    {
        // The control: the test can see a file being followed, so the refusals below are evidence.
        var folder = Folder("control");
        foreach (var (name, text) in new[] { ("hls.mp4", Hls(Path.Combine(folder, "secret.ts"))), ("concat.mp4", Concat("secret.ts")) })
        {
            await using var secret = await NamedPipe.CreateAsync(Path.Combine(folder, "secret.ts"));
            var upload = Path.Combine(folder, name);
            await File.WriteAllTextAsync(upload, text);

            var run = ExternalProgram.RunAsync("ffprobe", ["-v", "error", "-protocol_whitelist", "file", "-show_format", "-show_streams", "-of", "json", upload], timeoutSeconds: 30);

            Assert.True(await secret.OpenedWithin(TimeSpan.FromSeconds(20)), $"ffprobe did not open the file {name} names");
            await run;
        }
    }

    [Fact]
    public async Task An_hls_playlist_is_refused_without_ffprobe_opening_the_files_it_names()
    {
        var folder = Folder("hls");
        await using var secret = await NamedPipe.CreateAsync(Path.Combine(folder, "secret.ts"));
        var upload = Path.Combine(folder, "upload.mp4");
        await File.WriteAllTextAsync(upload, Hls(Path.Combine(folder, "secret.ts")));

        var result = await ModuleServices.Get<VideoProbe>().ProbeAsync(upload, CancellationToken.None);

        Assert.Equal(VideoRejection.UnsupportedFormat, result.Rejection);
        Assert.Equal("HLS playlists are not accepted: upload the video file itself", result.Error);
        Assert.False(await secret.OpenedWithin(TimeSpan.FromMilliseconds(500)), "the file the playlist names was opened");
    }

    [Fact]
    public async Task A_playlist_pointing_at_etc_passwd_with_a_byte_order_mark_and_blank_lines_is_refused()
    {
        var upload = Path.Combine(Folder("passwd"), "upload.mkv");
        await File.WriteAllTextAsync(upload, "\uFEFF\n\n" + Hls("/etc/passwd"));

        var result = await ModuleServices.Get<VideoProbe>().ProbeAsync(upload, CancellationToken.None);

        Assert.Equal("HLS playlists are not accepted: upload the video file itself", result.Error);
    }

    [Fact]
    public async Task An_ffconcat_script_is_refused_without_ffprobe_opening_the_files_it_names()
    {
        var folder = Folder("concat");
        await using var secret = await NamedPipe.CreateAsync(Path.Combine(folder, "secret.ts"));
        var upload = Path.Combine(folder, "upload.avi");
        await File.WriteAllTextAsync(upload, Concat("secret.ts"));

        var result = await ModuleServices.Get<VideoProbe>().ProbeAsync(upload, CancellationToken.None);

        Assert.Equal(VideoRejection.UnsupportedFormat, result.Rejection);
        Assert.Equal("ffconcat scripts are not accepted: upload the video file itself", result.Error);
        Assert.False(await secret.OpenedWithin(TimeSpan.FromMilliseconds(500)), "the file the script names was opened");
    }

    [Fact]
    public async Task A_named_pipe_given_as_the_video_is_refused_without_being_opened()
    {
        await using var pipe = await NamedPipe.CreateAsync(Path.Combine(Folder("fifo"), "upload.mp4"));

        var result = await ModuleServices.Get<VideoProbe>().ProbeAsync(pipe.Path, CancellationToken.None);

        Assert.Equal("not a video: the file is empty", result.Error);
        Assert.False(await pipe.OpenedWithin(TimeSpan.FromMilliseconds(200)));
    }

    private string Folder(string name)
    {
        var folder = samples.At($"trick-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A FIFO with a writer waiting on it: the writer's open returns only once something opens the FIFO to read.</summary>
    private sealed class NamedPipe : IAsyncDisposable
    {
        private readonly Task writer;

        private NamedPipe(string path)
        {
            Path = path;
            writer = Task.Factory.StartNew(() =>
            {
                // Opening a FIFO to write blocks until a reader opens it; then closing it gives the reader end-of-file.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        public string Path { get; }

        public static async Task<NamedPipe> CreateAsync(string path)
        {
            var (code, _, stderr) = await ExternalProgram.RunAsync("mkfifo", [path]);
            Assert.True(code == 0, stderr);
            return new NamedPipe(path);
        }

        public async Task<bool> OpenedWithin(TimeSpan time) => await Task.WhenAny(writer, Task.Delay(time)) == writer;

        public async ValueTask DisposeAsync()
        {
            if (!writer.IsCompleted)
            {
                // Release the waiting writer by being its reader.
                await using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            }
            await writer;
            File.Delete(Path);
        }
    }
}
