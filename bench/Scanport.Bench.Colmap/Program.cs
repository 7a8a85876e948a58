// Runs ColmapPipeline as the reconstruction job does and prints one summary line per run:
//   dotnet run --project bench/Scanport.Bench.Colmap -c Release -- <images-dir> <work-dir> [--quality low] [--sequential]
//       [--log FILE] [--progress] [--warm]
// --warm first reconstructs the same images once into <work-dir>-warmup (a "cold" line: .NET start, JIT and the
// COLMAP capability probe included, as for the first job of a fresh service process), then the timed job (a "job"
// line), as any later job runs in a long-lived service. The work dir keeps the outputs (points.ply, mesh.ply,
// textured_mesh.glb); the log has every COLMAP line and the exact command lines ("$ colmap ..."), which
// bench/reconstruction/colmap.sh compares with its own.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Media;
using Scanport.Processes;
using Scanport.Reconstruction;
using Scanport.Reconstruction.Colmap;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Scanport.Bench.Colmap <images-dir> <work-dir> [--quality low|medium|high|extreme] [--sequential] [--log FILE] [--progress] [--warm]");
    return 2;
}
var sinceStart = Stopwatch.StartNew();
var quality = Option("--quality") ?? "low";
var logPath = Option("--log");
var showProgress = args.Contains("--progress");
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var configuration = new ConfigurationBuilder().Build();
await using var services = new ServiceCollection().AddLogging()
    .AddProcesses(configuration).AddMedia(configuration).AddReconstruction(configuration).BuildServiceProvider();
var pipeline = services.GetRequiredService<ColmapPipeline>();

if (args.Contains("--warm"))
{
    var warmDir = args[1].TrimEnd('/') + "-warmup";
    var cold = await RunAsync(warmDir, null);
    Report("cold", cold, sinceStart.Elapsed);
    Directory.Delete(warmDir, recursive: true);
}
var result = await RunAsync(args[1], logPath);
Report("job", result, sinceStart.Elapsed);
return result.Succeeded ? 0 : 1;

async Task<ReconstructionResult> RunAsync(string workDir, string? log)
{
    await using var logFile = log is null ? null : new StreamWriter(log);
    return await pipeline.RunAsync(new ColmapRequest(args[0], workDir, quality, Sequential: args.Contains("--sequential")),
        p =>
        {
            if (showProgress) Console.Error.WriteLine(FormattableString.Invariant($"{p.Overall,6:P1} {p.Stage} {p.StageProgress:P0}"));
            return Task.CompletedTask;
        },
        async line =>
        {
            if (logFile is not null) await logFile.WriteLineAsync(line);
        },
        cancel.Token);
}

static void Report(string run, ReconstructionResult result, TimeSpan sinceStart)
{
    var reason = result.FailureReason is { } why ? $" reason=\"{why}\"" : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run={run} ok={result.Succeeded} registered={result.RegisteredImages}/{result.TotalImages} points={result.Points} error={result.MeanReprojectionError:0.###} quality={result.Quality:0.###} seconds={result.Elapsed.TotalSeconds:0.00} since_start={sinceStart.TotalSeconds:0.00}{reason}"));
}
