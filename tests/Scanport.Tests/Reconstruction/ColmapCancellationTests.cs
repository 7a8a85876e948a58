using System.Diagnostics;
using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

[Collection(OrbitReconstruction.Collection)]
public class ColmapCancellationTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"scanport-colmap-cancel-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Cancelling_during_matching_kills_colmap_within_seconds_and_removes_the_work_dir()
    {
        var frames = OrbitReconstruction.CopyFrames(Path.Combine(root, "frames"));
        var workDir = Path.Combine(root, "work");
        using var cancel = new CancellationTokenSource();
        var cancelledAt = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();

        var run = ModuleServices.Get<ColmapPipeline>().RunAsync(new ColmapRequest(frames, workDir, "low", Sequential: true),
            p =>
            {
                // The first report from inside matching: sequential_matcher is running and has written to the database.
                if (p is { Stage: ReconstructionStage.Match, StageProgress: > 0 } && !cancel.IsCancellationRequested)
                {
                    Assert.Contains(ColmapProcesses(workDir), c => c.Contains("sequential_matcher", StringComparison.Ordinal));
                    cancelledAt = clock.Elapsed;
                    cancel.Cancel();
                }
                return Task.CompletedTask;
            },
            _ => Task.CompletedTask, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var took = clock.Elapsed - cancelledAt;

        Assert.NotEqual(TimeSpan.Zero, cancelledAt);
        Assert.True(took < TimeSpan.FromSeconds(10), $"the run ended {took.TotalSeconds:0.0} s after cancellation");
        Assert.Empty(ColmapProcesses(workDir));
        Assert.False(Directory.Exists(workDir), "the work dir the pipeline created is removed");
        Assert.Equal(["frames"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Equal(30, Directory.GetFiles(frames).Length);
    }

    /// <summary>The command lines of the running processes that mention the work dir.</summary>
    private static List<string> ColmapProcesses(string workDir) => ProcessTable.CommandLinesContaining(workDir);
}
