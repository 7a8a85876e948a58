namespace Scanport.Reconstruction.Colmap;

/// <summary>The COLMAP options one quality preset stands for.</summary>
/// <param name="Name">low, medium, high or extreme.</param>
/// <param name="MaxImageSize"><c>--SiftExtraction.max_image_size</c>: the long edge features are found at (px).</param>
/// <param name="MaxNumFeatures"><c>--SiftExtraction.max_num_features</c>.</param>
/// <param name="FirstOctave"><c>--SiftExtraction.first_octave</c>: -1 (COLMAP's default) doubles the image first, finding
/// small features at four times the cost; 0 skips that.</param>
/// <param name="AffineFeatures"><c>--SiftExtraction.estimate_affine_shape</c> and <c>domain_size_pooling</c> (slow on CPU, better on oblique views).</param>
/// <param name="SequentialOverlap"><c>--SequentialMatching.overlap</c> for video frames (quadratic overlap on, COLMAP's default).</param>
/// <param name="ExhaustiveBlockSize"><c>--ExhaustiveMatching.block_size</c> for unordered photos; also the grain of its progress.</param>
/// <param name="GuidedMatching"><c>--SiftMatching.guided_matching</c>.</param>
/// <param name="PoissonDepth"><c>--PoissonMeshing.depth</c>: octree depth, detail of the mesh.</param>
/// <param name="PoissonTrim">
/// <c>--PoissonMeshing.trim</c>: sparse points need 0–7 (COLMAP's default 10 trims every vertex away); fused dense
/// points take the next step up.
/// </param>
/// <param name="NormalNeighbours">k nearest neighbours a point's normal is fitted to (sparse path).</param>
/// <param name="DenseMaxImageSize"><c>image_undistorter --max_image_size</c> and <c>--PatchMatchStereo.max_image_size</c> (dense path).</param>
/// <param name="TextureMaxImageSize">Long edge the registered images are read at to colour the mesh.</param>
public sealed record ColmapPreset(
    string Name, int MaxImageSize, int MaxNumFeatures, int FirstOctave, bool AffineFeatures, int SequentialOverlap, int ExhaustiveBlockSize,
    bool GuidedMatching, int PoissonDepth, int PoissonTrim, int NormalNeighbours, int DenseMaxImageSize, int TextureMaxImageSize);

/// <summary>
/// The documented presets of <c>?quality=low|medium|high|extreme</c>. low and medium stay within what a 2-core CI
/// machine does in a minute or two (≤ 1000 px, at most about 2000 features); high and extreme are for real captures.
/// </summary>
/// <remarks>
/// | preset  | max px | features | 1st octave | affine | seq. overlap | exh. block | guided | Poisson depth / trim | k | dense px | texture px |
/// |---------|--------|----------|------------|--------|--------------|------------|--------|----------------------|---|----------|------------|
/// | low     | 800    | 1024     | 0          | no     | 5            | 10         | no     | 8 / 5                | 12 | 1000    | 800        |
/// | medium  | 1000   | 2048     | -1         | no     | 10           | 20         | no     | 9 / 6                | 16 | 1600    | 1000       |
/// | high    | 2000   | 4096     | -1         | no     | 15           | 30         | yes    | 10 / 7               | 20 | 2000    | 2000       |
/// | extreme | 3200   | 8192     | -1         | yes    | 20           | 50         | yes    | 11 / 7               | 20 | 3200    | 3200       |
/// </remarks>
public static class QualityPresets
{
    public static ColmapPreset Low { get; } = new("low", 800, 1024, 0, false, 5, 10, false, 8, 5, 12, 1000, 800);
    public static ColmapPreset Medium { get; } = new("medium", 1000, 2048, -1, false, 10, 20, false, 9, 6, 16, 1600, 1000);
    public static ColmapPreset High { get; } = new("high", 2000, 4096, -1, false, 15, 30, true, 10, 7, 20, 2000, 2000);
    public static ColmapPreset Extreme { get; } = new("extreme", 3200, 8192, -1, true, 20, 50, true, 11, 7, 20, 3200, 3200);

    public static IReadOnlyList<ColmapPreset> All { get; } = [Low, Medium, High, Extreme];

    /// <summary>The preset of that name (case-insensitive), or null.</summary>
    public static ColmapPreset? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
