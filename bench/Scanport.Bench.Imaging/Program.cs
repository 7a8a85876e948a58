// Runs ImageProcessor.Analyze over every JPEG/HEIC in a folder, one after another on this thread, and writes the
// thumbnails to disk: the whole pipeline a job runs per photo (header check, EXIF, one decode, thumbnails, QC).
//   Scanport.Bench.Imaging <input-dir> <output-dir> [--concurrency N] [--verbose]
// Prints "images=N seconds=S images_per_second=R" last, for bench/imaging/run.sh.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scanport.Media;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Scanport.Bench.Imaging <input-dir> <output-dir> [--concurrency N] [--verbose]");
    return 2;
}
var (input, output) = (args[0], args[1]);
var options = new ImageProcessingOptions();
var concurrency = Array.IndexOf(args, "--concurrency");
if (concurrency > 0) options.Concurrency = int.Parse(args[concurrency + 1], CultureInfo.InvariantCulture);
var verbose = args.Contains("--verbose");

var processor = new ImageProcessor(Options.Create(options), NullLogger<ImageProcessor>.Instance);
Directory.CreateDirectory(output);
var files = Directory.EnumerateFiles(input).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".heic").Order().ToList();

var clock = Stopwatch.StartNew();
foreach (var file in files)
{
    var analysis = processor.Analyze(file, CancellationToken.None);
    var stem = Path.GetFileNameWithoutExtension(file);
    foreach (var (size, jpeg) in analysis.Thumbnails)
        File.WriteAllBytes(Path.Combine(output, $"{stem}_{size}.jpg"), jpeg);
    if (verbose)
        Console.WriteLine(FormattableString.Invariant(
            $"{stem}: {analysis.ContentType} {analysis.Width}x{analysis.Height} sharpness {analysis.Qc.Sharpness.Score} ({analysis.Qc.Sharpness.Status}) exposure {analysis.Qc.Exposure.Status} mean {analysis.Qc.Exposure.Mean} exif {analysis.Exif}"));
}
clock.Stop();
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(FormattableString.Invariant($"images={files.Count} seconds={seconds:0.000} images_per_second={files.Count / seconds:0.00}"));
return 0;
