using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Scanport.Media;
using Scanport.Processes;

namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// A photogrammetric reconstruction with COLMAP: feature extraction, matching (sequential for video frames,
/// exhaustive for unordered photos), incremental mapping, export of the sparse model, then either dense stereo and
/// fusion (when COLMAP has CUDA and a GPU is present) or normals estimated on the sparse points; a Poisson mesh, and
/// the mesh coloured from the registered images as glTF binary. Every COLMAP line goes to the log; progress is
/// parsed from them. Failures a user can cause (images that do not overlap, nothing to mesh) come back as a failed
/// <see cref="ReconstructionResult"/>; cancellation kills COLMAP's whole process tree and removes what the run wrote.
/// </summary>
/// <param name="runner">Runs COLMAP (one run at a time unless <c>Processes:Limits:colmap</c> says otherwise).</param>
/// <param name="libVips">Started before the registered images are decoded for the colouring.</param>
/// <param name="options">How many images the colouring works on at once.</param>
public sealed class ColmapPipeline(ProcessRunner runner, LibVips libVips, IOptions<ReconstructionOptions> options)
{
    public const string PointCloudFile = "points.ply";
    public const string MeshFile = "mesh.ply";
    public const string TexturedMeshFile = "textured_mesh.glb";
    private const string ScratchFolder = "colmap";

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp" };

    // Fields, not captured parameters: each run reads them through its pipeline.
    private readonly ProcessRunner runner = runner;
    private readonly LibVips libVips = libVips;
    private readonly int coloringParallelism = options.Value.ColoringParallelism;
    private readonly SemaphoreSlim detecting = new(1, 1);
    private ColmapCapabilities? capabilities;

    /// <summary>What the installed COLMAP can do: probed on the first call (about a second), the same answer afterwards.</summary>
    public async Task<ColmapCapabilities> CapabilitiesAsync(CancellationToken ct)
    {
        if (capabilities is { } known) return known;
        await detecting.WaitAsync(ct);
        try
        {
            return capabilities ??= await ColmapCapabilities.ProbeAsync(runner, ct);
        }
        finally
        {
            detecting.Release();
        }
    }

    /// <exception cref="ArgumentException">An unknown quality preset.</exception>
    /// <exception cref="OperationCanceledException">Cancelled: COLMAP is killed and the run's files are gone.</exception>
    public async Task<ReconstructionResult> RunAsync(
        ColmapRequest request, Func<ReconstructionProgress, Task> progress, Func<string, Task> log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var preset = QualityPresets.Find(request.Quality)
            ?? throw new ArgumentException($"Unknown quality '{request.Quality}': use low, medium, high or extreme.", nameof(request));
        var caps = await CapabilitiesAsync(ct);
        if (!caps.Installed) throw new InvalidOperationException("COLMAP is not installed (Debian: apt-get install colmap).");

        var createdWorkDir = !Directory.Exists(request.WorkDir);
        Directory.CreateDirectory(request.WorkDir);
        var run = new ColmapRun(this, request, preset, caps, new ProgressReporter(progress, caps.Dense), log, clock, ct);
        try
        {
            return await run.ExecuteAsync();
        }
        catch
        {
            // Cancelled or broken: nothing half-made stays behind.
            foreach (var file in new[] { PointCloudFile, MeshFile, TexturedMeshFile }) File.Delete(Path.Combine(request.WorkDir, file));
            if (createdWorkDir) DeleteDirectory(request.WorkDir);
            throw;
        }
        finally
        {
            DeleteDirectory(Path.Combine(request.WorkDir, ScratchFolder));
        }
    }

    internal static IReadOnlyList<string> ListImages(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).ToList()
            : [];

    private static void DeleteDirectory(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>One run's state: paths, counts so far, and the COLMAP calls.</summary>
    private sealed class ColmapRun(
        ColmapPipeline pipeline, ColmapRequest request, ColmapPreset preset, ColmapCapabilities caps, ProgressReporter reporter,
        Func<string, Task> log, Stopwatch clock, CancellationToken ct)
    {
        private readonly string scratch = Path.Combine(request.WorkDir, ScratchFolder);
        private string Database => Path.Combine(scratch, "database.db");
        private string Output(string file) => Path.Combine(request.WorkDir, file);
        private int Parallelism => pipeline.coloringParallelism;

        private int total;
        private int registered;
        private int features;
        private bool noInitialPair;

        public async Task<ReconstructionResult> ExecuteAsync()
        {
            total = ListImages(request.ImagesDir).Count;
            if (total == 0) return Failed("No images (JPEG, PNG, TIFF) were found to reconstruct from.");
            Directory.CreateDirectory(scratch);
            await log($"COLMAP {caps.Version}, {(caps.UseGpu ? "GPU" : "CPU")}, {(caps.Dense ? "dense" : "sparse + estimated normals")}; " +
                      $"preset {preset.Name}; {total} images, {(request.Sequential ? "sequential" : "exhaustive")} matching");

            if (await ColmapAsync(ColmapCommands.FeatureExtractor(Database, request.ImagesDir, preset, request.Sequential, caps.UseGpu)) is { } e1) return Failed(e1);
            if (features == 0) return Failed("COLMAP found no features in any image (blank, unreadable or too small images).");
            if (await ColmapAsync(ColmapCommands.Matcher(Database, preset, request.Sequential, caps.UseGpu)) is { } e2) return Failed(e2);
            var sparse = Path.Combine(scratch, "sparse");
            Directory.CreateDirectory(sparse);
            // With no initial pair the mapper exits 1 ("failed to create sparse model"), in other cases 0 without a model.
            var mapperFailure = await ColmapAsync(ColmapCommands.Mapper(Database, request.ImagesDir, sparse));
            var best = Directory.EnumerateDirectories(sparse).MaxBy(SparseModel.RegisteredImagesIn);
            if (best is null || SparseModel.RegisteredImagesIn(best) == 0)
                return Failed(noInitialPair
                    ? "COLMAP found no pair of images to start from: the images do not overlap enough or show unrelated scenes."
                    : mapperFailure ?? "COLMAP's mapper registered no images: the images do not overlap enough.");
            if (mapperFailure is not null) return Failed(mapperFailure);
            var text = Path.Combine(scratch, "model");
            Directory.CreateDirectory(text);
            if (await ColmapAsync(ColmapCommands.ModelToText(best, text)) is { } e4) return Failed(e4);
            var model = SparseModel.ReadText(text);
            registered = model.Images.Count;
            var error = model.MeanReprojectionError;
            await log(string.Create(CultureInfo.InvariantCulture,
                $"Model: {registered}/{total} images registered, {model.Points.Count} points, mean reprojection error {error:0.###} px"));
            if (model.Points.Count == 0) return Failed("The reconstruction has no 3D points.");
            await reporter.ReportAsync(ReconstructionStage.Export, 1);

            // The frames decode while the points get normals and the mesher runs; the colouring finds them in memory.
            pipeline.libVips.EnsureStarted();
            using var readAheadCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var readAhead = Task.Run(() => VertexColorizer.ReadAhead(model, request.ImagesDir, preset.TextureMaxImageSize, Parallelism, readAheadCancel.Token));
            try
            {
                return await SurfaceAsync(model, best, readAhead);
            }
            finally
            {
                // Nothing of the run may go on after it returns; a failure of the read-ahead was seen by SurfaceAsync or no longer matters.
                await readAheadCancel.CancelAsync();
                await Task.WhenAny(readAhead);
                _ = readAhead.Exception;
            }
        }

        /// <summary>Points with normals (dense or sparse), the mesh, and the mesh coloured from the images.</summary>
        private async Task<ReconstructionResult> SurfaceAsync(SparseModel model, string sparseModel, Task<IReadOnlyDictionary<int, View>> readAhead)
        {
            var error = model.MeanReprojectionError;
            var points = caps.Dense ? await DenseAsync(sparseModel) : null;
            points ??= await SparseNormalsAsync(model);
            if (await MeshAsync(points.Value.Dense) is { } failure)
                return Failed(failure, points.Value.Count, error) with { PointCloudPly = Output(PointCloudFile) };

            await reporter.ReportAsync(ReconstructionStage.Texture, 0);
            var started = clock.Elapsed;
            var mesh = PlyFile.Read(Output(MeshFile));
            var (colors, normals) = VertexColorizer.Colorize(mesh, model, request.ImagesDir, preset.TextureMaxImageSize, await readAhead, Parallelism, ct);
            GlbWriter.Write(Output(TexturedMeshFile), mesh.Vertices, normals, colors, mesh.Triangles);
            await reporter.CompleteAsync();
            await log(string.Create(CultureInfo.InvariantCulture,
                $"Mesh: {mesh.Vertices.Length} vertices, {mesh.FaceCount} triangles, coloured from {model.Images.Count} images in {(clock.Elapsed - started).TotalSeconds:0.00} s; done in {clock.Elapsed.TotalSeconds:0.0} s"));

            return new ReconstructionResult(total, registered, points.Value.Count, error,
                ReconstructionResult.QualityScore(total, registered, error),
                Output(PointCloudFile), Output(MeshFile), Output(TexturedMeshFile), clock.Elapsed);
        }

        /// <summary>Normals from each sparse point's neighbours, facing the cameras that see it; written with colours as the point cloud.</summary>
        private async Task<(int Count, bool Dense)> SparseNormalsAsync(SparseModel model)
        {
            await reporter.ReportAsync(ReconstructionStage.Normals, 0);
            var started = clock.Elapsed;
            var positions = model.Points.Select(p => p.Position).ToArray();
            var observers = model.Points.Select(p => (IReadOnlyList<System.Numerics.Vector3>)p.ImageIds
                .Where(model.Images.ContainsKey).Select(id => model.Images[id].Centre).ToArray()).ToArray();
            var normals = NormalEstimator.Estimate(positions, observers, preset.NormalNeighbours, ct);
            PlyFile.WritePoints(Output(PointCloudFile), positions, normals, model.Points.Select(p => (p.R, p.G, p.B)).ToArray());
            await reporter.ReportAsync(ReconstructionStage.Normals, 1);
            await log(string.Create(CultureInfo.InvariantCulture,
                $"Normals: {positions.Length} points, {preset.NormalNeighbours} neighbours each, in {(clock.Elapsed - started).TotalSeconds:0.00} s"));
            return (positions.Length, false);
        }

        /// <summary>Undistortion, patch-match stereo and fusion; null (and a log line) when fusion yields no points.</summary>
        private async Task<(int Count, bool Dense)?> DenseAsync(string sparseModel)
        {
            var dense = Path.Combine(scratch, "dense");
            var fused = Path.Combine(dense, "fused.ply");
            if (await ColmapAsync(ColmapCommands.ImageUndistorter(request.ImagesDir, sparseModel, dense, preset), 0, 0.1) is not null
                || await ColmapAsync(ColmapCommands.PatchMatchStereo(dense, preset), 0.1, 0.85) is not null
                || await ColmapAsync(ColmapCommands.StereoFusion(dense, fused), 0.85, 1) is not null)
            {
                await log("Dense reconstruction failed; meshing the sparse points instead.");
                return null;
            }
            var count = File.Exists(fused) ? PlyFile.Counts(fused).Vertices : 0;
            if (count == 0)
            {
                await log("Stereo fusion produced no points; meshing the sparse points instead.");
                return null;
            }
            File.Copy(fused, Output(PointCloudFile), overwrite: true);
            return (count, true);
        }

        /// <summary>Poisson on the points with normals (Delaunay on the dense workspace if Poisson yields nothing and CGAL is there).</summary>
        private async Task<string?> MeshAsync(bool dense)
        {
            var mesh = Output(MeshFile);
            if (await ColmapAsync(ColmapCommands.PoissonMesher(Output(PointCloudFile), mesh, preset, dense)) is { } failure) return failure;
            if (!HasSurface(mesh) && dense && caps.DelaunayMesher)
            {
                await log("Poisson meshing produced no surface; trying the Delaunay mesher.");
                if (await ColmapAsync(ColmapCommands.DelaunayMesher(Path.Combine(scratch, "dense"), mesh)) is { } delaunay) return delaunay;
            }
            return HasSurface(mesh) ? null : "The mesher produced no surface from the points (too few, or too scattered).";
        }

        private static bool HasSurface(string ply) => File.Exists(ply) && PlyFile.Counts(ply) is { Vertices: > 0, Faces: > 0 };

        /// <summary>Runs one COLMAP command, its output to the log and the progress; a failure reason when it exits non-zero.</summary>
        private async Task<string?> ColmapAsync(ColmapCommand command, double from = 0, double to = 1)
        {
            await reporter.ReportAsync(command.Stage, from);
            await log("$ " + command.CommandLine);
            var started = clock.Elapsed;
            var result = await pipeline.runner.RunAsync(ColmapCommands.Program, command.Arguments, async line =>
            {
                await log(line);
                if (ColmapOutput.NoInitialPair(line)) noInitialPair = true;
                if (ColmapOutput.Features(line) > 0) features++;
                if (ColmapOutput.Progress(line, total) is { } fraction) await reporter.ReportAsync(command.Stage, from + (to - from) * fraction);
            }, ct, scratch, ColmapCommands.Environment);
            await log(string.Create(CultureInfo.InvariantCulture,
                $"{command.Arguments[0]} exited {result.ExitCode} after {(clock.Elapsed - started).TotalSeconds:0.00} s"));
            if (!result.Succeeded)
                return $"COLMAP {command.Arguments[0]} failed (exit code {result.ExitCode}): {result.Tail.LastOrDefault(l => l.Length > 0) ?? "no output"}";
            await reporter.ReportAsync(command.Stage, to);
            return null;
        }

        private ReconstructionResult Failed(string reason, int points = 0, double error = double.NaN) =>
            ReconstructionResult.Failed(reason, total, registered, clock.Elapsed) with { Points = points, MeanReprojectionError = error };
    }
}
