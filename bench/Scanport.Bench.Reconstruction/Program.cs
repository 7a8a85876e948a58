// Runs one reconstruction step the way a job does, timed inside the process; a subcommand per step.
//   Scanport.Bench.Reconstruction frames <video> <output-dir> <interval-seconds> [--max-frames N] [--max-long-edge N]
//     VideoProbe.ProbeAsync as the upload runs it, then FrameExtractor.ExtractAsync with that probe's VideoInfo as the
//     extraction job runs it (one ffmpeg run); prints "frames=N probe_seconds=P seconds=S" last (S: the extraction
//     alone), for bench/reconstruction/frames.sh.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Media;
using Scanport.Processes;

return args switch
{
    ["frames", var video, var output, var interval, .. var rest] => await Frames(video, output, Number(interval), rest),
    _ => Usage(),
};

static async Task<int> Frames(string video, string output, double interval, string[] options)
{
    var maxFrames = Option(options, "--max-frames") is { } cap ? (int)Number(cap) : FrameExtractionOptions.FrameLimit;
    var longEdge = Option(options, "--max-long-edge") is { } edge ? (int?)Number(edge) : null;
    var configuration = new ConfigurationBuilder().Build();
    await using var services = new ServiceCollection().AddLogging().AddProcesses(configuration).AddMedia(configuration).BuildServiceProvider();
    var clock = Stopwatch.StartNew();
    var probe = await services.GetRequiredService<VideoProbe>().ProbeAsync(video, CancellationToken.None);
    var probeSeconds = clock.Elapsed.TotalSeconds;
    if (probe.Video is null)
    {
        Console.Error.WriteLine($"{probe.Rejection}: {probe.Error}");
        return 1;
    }
    clock.Restart();
    var result = await services.GetRequiredService<FrameExtractor>().ExtractAsync(video, probe.Video, output, new FrameExtractionOptions(interval, maxFrames, longEdge), null, CancellationToken.None);
    clock.Stop();
    if (!result.Succeeded)
    {
        Console.Error.WriteLine($"{result.Failure}: {result.Error}");
        return 1;
    }
    Console.WriteLine(FormattableString.Invariant($"frames={result.TotalFrames} probe_seconds={probeSeconds:0.000} seconds={clock.Elapsed.TotalSeconds:0.000}"));
    return 0;
}

static string? Option(string[] options, string name) => Array.IndexOf(options, name) is var at and >= 0 && at + 1 < options.Length ? options[at + 1] : null;

static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("usage: Scanport.Bench.Reconstruction frames <video> <output-dir> <interval-seconds> [--max-frames N] [--max-long-edge N]");
    return 2;
}
