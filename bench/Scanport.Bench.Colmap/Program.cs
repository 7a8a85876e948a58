// Runs ColmapPipeline once, as the reconstruction job does, and prints one summary line:
//   dotnet run --project bench/Scanport.Bench.Colmap -c Release -- <images-dir> <work-dir> [--quality low] [--sequential] [--log FILE] [--progress]
// The work dir keeps the outputs (points.ply, mesh.ply, textured_mesh.glb); the log has every COLMAP line and the
// exact command lines ("$ colmap ..."), which bench/reconstruction/colmap.sh compares with its own.
using System.Diagnostics;
using System.Globalization;
using Scanport.Reconstruction.Colmap;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Scanport.Bench.Colmap <images-dir> <work-dir> [--quality low|medium|high|extreme] [--sequential] [--log FILE] [--progress]");
    return 2;
}
var quality = Option("--quality") ?? "low";
var logPath = Option("--log");
var showProgress = args.Contains("--progress");
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

var clock = Stopwatch.StartNew();
await using var logFile = logPath is null ? null : new StreamWriter(logPath);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var request = new ColmapRequest(args[0], args[1], quality, Sequential: args.Contains("--sequential"));
var result = await new ColmapPipeline().RunAsync(request,
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

var reason = result.FailureReason is { } why ? $" reason=\"{why}\"" : "";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ok={result.Succeeded} registered={result.RegisteredImages}/{result.TotalImages} points={result.Points} error={result.MeanReprojectionError:0.###} quality={result.Quality:0.###} seconds={result.Elapsed.TotalSeconds:0.00} process_seconds={clock.Elapsed.TotalSeconds:0.00}{reason}"));
return result.Succeeded ? 0 : 1;
