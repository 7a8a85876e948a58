namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// Turns (stage, progress within it) into overall progress with fixed stage weights, the stages' usual share of the
/// wall time on CPU (orbit-30 at low on 2 cores: extract 3.2 s, match 7.6 s, map 1.5 s, Poisson 1.5 s, the rest under
/// half a second); reports only forward moves of at least 0.5% or a new stage.
/// </summary>
internal sealed class ProgressReporter(Func<ReconstructionProgress, Task> sink, bool dense)
{
    /// <summary>Sparse path: features, matching and mapping on the CPU, then our normals and Poisson.</summary>
    private static readonly Dictionary<ReconstructionStage, double> SparseWeights = new()
    {
        [ReconstructionStage.Extract] = 0.22,
        [ReconstructionStage.Match] = 0.52,
        [ReconstructionStage.Map] = 0.10,
        [ReconstructionStage.Export] = 0.01,
        [ReconstructionStage.Dense] = 0,
        [ReconstructionStage.Normals] = 0.02,
        [ReconstructionStage.Mesh] = 0.10,
        [ReconstructionStage.Texture] = 0.03,
    };

    /// <summary>Dense path (GPU): patch-match stereo and fusion take the largest share.</summary>
    private static readonly Dictionary<ReconstructionStage, double> DenseWeights = new()
    {
        [ReconstructionStage.Extract] = 0.08,
        [ReconstructionStage.Match] = 0.15,
        [ReconstructionStage.Map] = 0.07,
        [ReconstructionStage.Export] = 0.01,
        [ReconstructionStage.Dense] = 0.50,
        [ReconstructionStage.Normals] = 0,
        [ReconstructionStage.Mesh] = 0.09,
        [ReconstructionStage.Texture] = 0.10,
    };

    private readonly Dictionary<ReconstructionStage, double> weights = dense ? DenseWeights : SparseWeights;
    private ReconstructionStage? lastStage;
    private double lastOverall = -1;

    public async Task ReportAsync(ReconstructionStage stage, double stageProgress)
    {
        stageProgress = Math.Clamp(stageProgress, 0, 1);
        var before = weights.Where(w => w.Key < stage).Sum(w => w.Value);
        var last = stage == ReconstructionStage.Texture && stageProgress >= 1;
        var overall = last ? 1 : Math.Min(1, before + weights[stage] * stageProgress);
        if (overall < lastOverall) overall = lastOverall;
        if (stage == lastStage && overall - lastOverall < 0.005 && !(last && lastOverall < 1)) return;
        lastStage = stage;
        lastOverall = overall;
        await sink(new ReconstructionProgress(stage, stageProgress, overall));
    }

    /// <summary>The last report: 1 overall, in the last stage.</summary>
    public Task CompleteAsync() => ReportAsync(ReconstructionStage.Texture, 1);
}
