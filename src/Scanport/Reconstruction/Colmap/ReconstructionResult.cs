namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// What a run produced. A failed run (<see cref="Succeeded"/> false) says why in <see cref="FailureReason"/>, in words
/// a user can act on, with the counts known so far; the paths of outputs it did not produce are empty (a run whose
/// mesher failed still hands back its point cloud).
/// </summary>
/// <param name="TotalImages">Images found in the request's folder.</param>
/// <param name="RegisteredImages">Images the mapper placed in the (largest) model.</param>
/// <param name="Points">Points in <see cref="PointCloudPly"/> (sparse, or fused when dense stereo ran).</param>
/// <param name="MeanReprojectionError">Mean over the sparse points of their reprojection error, in pixels.</param>
/// <param name="Quality">0..1, see <see cref="QualityScore"/>.</param>
/// <param name="PointCloudPly">Binary PLY: x y z, nx ny nz (float), red green blue (uchar).</param>
/// <param name="MeshPly">COLMAP's mesh PLY (vertices and triangles).</param>
/// <param name="TexturedMeshGlb">glTF binary: the mesh with a colour per vertex projected from the registered images.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
/// <param name="FailureReason">Null on success.</param>
public sealed record ReconstructionResult(
    int TotalImages, int RegisteredImages, int Points, double MeanReprojectionError, double Quality,
    string PointCloudPly, string MeshPly, string TexturedMeshGlb, TimeSpan Elapsed, string? FailureReason = null)
{
    public bool Succeeded => FailureReason is null;

    /// <summary>
    /// <c>registered / total × 1 / (1 + (error / 1 px)²)</c>: the share of the images placed, discounted by the
    /// mean reprojection error. A sub-pixel error costs little (0.4 px: × 0.86), 1 px halves it, 2 px leaves a fifth.
    /// 0 when nothing was registered.
    /// </summary>
    public static double QualityScore(int totalImages, int registeredImages, double meanReprojectionError)
    {
        if (totalImages <= 0 || registeredImages <= 0) return 0;
        var share = Math.Min(1.0, (double)registeredImages / totalImages);
        var error = double.IsFinite(meanReprojectionError) ? Math.Max(0, meanReprojectionError) : double.PositiveInfinity;
        return share / (1 + error * error);
    }

    internal static ReconstructionResult Failed(string reason, int total, int registered, TimeSpan elapsed) =>
        new(total, registered, 0, double.NaN, 0, "", "", "", elapsed, reason);
}
