namespace Scanport.Reconstruction.Colmap;

/// <summary>One reconstruction to run.</summary>
/// <param name="ImagesDir">The photos or video frames (JPEG, PNG, TIFF); only read. Frames are taken in name order.</param>
/// <param name="WorkDir">
/// Where everything is written. The pipeline creates it if missing. Scratch (COLMAP's database, models, dense
/// workspace) is removed when the run ends, however it ends. On a returned result, succeeded or failed, only the
/// output files remain (<see cref="ReconstructionResult.PointCloudPly"/> and the others): the caller stores them and
/// then deletes <paramref name="WorkDir"/>. On cancellation or an exception the pipeline deletes everything it wrote,
/// and <paramref name="WorkDir"/> itself when it created it, before the exception leaves.
/// </param>
/// <param name="Quality">A preset name: <c>low</c>, <c>medium</c>, <c>high</c> or <c>extreme</c> (see <see cref="QualityPresets"/>).</param>
/// <param name="Sequential">Video frames in order: sequential matching and one shared camera; otherwise exhaustive matching.</param>
public sealed record ColmapRequest(string ImagesDir, string WorkDir, string Quality, bool Sequential);

/// <summary>The stages of a run, in order; <see cref="Dense"/> runs only where COLMAP has CUDA and a GPU is present.</summary>
public enum ReconstructionStage
{
    Extract,
    Match,
    Map,
    Export,
    Dense,
    Normals,
    Mesh,
    Texture,
}

/// <summary>Where a run stands.</summary>
/// <param name="Stage">The stage running.</param>
/// <param name="StageProgress">0..1 within the stage, parsed from COLMAP's output where it prints any.</param>
/// <param name="Overall">0..1 over the whole run, the stages weighted by their usual share of the time; never decreases, 1 at the end.</param>
public sealed record ReconstructionProgress(ReconstructionStage Stage, double StageProgress, double Overall);
