using System.Diagnostics;
using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

/// <summary>
/// One real reconstruction of ../shared/data/scenes/orbit-30 (30 rendered frames of an orbit, 640x480) with Debian's
/// COLMAP at quality <c>low</c>, run once for the collection (about 45 s on 2 cores): its result, every progress
/// report and every log line, for the tests to read.
/// </summary>
public sealed class OrbitReconstruction : IAsyncLifetime
{
    public const string Collection = "Colmap";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"scanport-colmap-{Guid.NewGuid():N}");
    public string Frames => Path.Combine(Root, "frames");
    public string WorkDir => Path.Combine(Root, "work");

    public ReconstructionResult Result { get; private set; } = null!;
    public List<ReconstructionProgress> Progress { get; } = [];
    public List<string> Log { get; } = [];
    public TimeSpan Wall { get; private set; }

    public static string Scene => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30");

    /// <summary>Copies the scene's JPEG frames (not its video or script) into a folder of its own.</summary>
    public static string CopyFrames(string to)
    {
        Directory.CreateDirectory(to);
        foreach (var frame in Directory.GetFiles(Scene, "frame_*.jpg")) File.Copy(frame, Path.Combine(to, Path.GetFileName(frame)));
        return to;
    }

    public async Task InitializeAsync()
    {
        CopyFrames(Frames);
        var clock = Stopwatch.StartNew();
        Result = await ModuleServices.Get<ColmapPipeline>().RunAsync(new ColmapRequest(Frames, WorkDir, "low", Sequential: true),
            p =>
            {
                lock (Progress) Progress.Add(p);
                return Task.CompletedTask;
            },
            line =>
            {
                lock (Log) Log.Add(line);
                return Task.CompletedTask;
            },
            CancellationToken.None);
        Wall = clock.Elapsed;
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The COLMAP tests run alone: COLMAP takes every core, and the cancellation test looks for leftover processes.</summary>
[CollectionDefinition(OrbitReconstruction.Collection, DisableParallelization = true)]
public sealed class ColmapCollection : ICollectionFixture<OrbitReconstruction>;
