using System.Globalization;

namespace Scanport.Reconstruction.Colmap;

/// <summary>One COLMAP invocation: the sub-command and its options, in the order they are passed.</summary>
internal sealed record ColmapCommand(ReconstructionStage Stage, IReadOnlyList<string> Arguments)
{
    /// <summary>As a shell would show it (for the log and the benchmark's comparison), quoting nothing that needs none.</summary>
    public string CommandLine => string.Join(' ', new[] { ColmapCommands.Program }.Concat(Arguments).Select(Quote));

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}

/// <summary>Builds the argument lists of the COLMAP commands the pipeline runs; nothing here starts a process.</summary>
internal static class ColmapCommands
{
    public const string Program = "colmap";

    /// <summary>Qt may look for a display even in the command-line tools: offscreen keeps them headless.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["QT_QPA_PLATFORM"] = "offscreen" };

    private static string Flag(bool value) => value ? "1" : "0";
    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static ColmapCommand FeatureExtractor(string database, string images, ColmapPreset preset, bool singleCamera, bool gpu) =>
        new(ReconstructionStage.Extract,
        [
            "feature_extractor", "--database_path", database, "--image_path", images,
            "--ImageReader.camera_model", "SIMPLE_RADIAL", "--ImageReader.single_camera", Flag(singleCamera),
            "--SiftExtraction.use_gpu", Flag(gpu),
            "--SiftExtraction.max_image_size", Num(preset.MaxImageSize),
            "--SiftExtraction.max_num_features", Num(preset.MaxNumFeatures),
            "--SiftExtraction.first_octave", Num(preset.FirstOctave),
            "--SiftExtraction.estimate_affine_shape", Flag(preset.AffineFeatures),
            "--SiftExtraction.domain_size_pooling", Flag(preset.AffineFeatures),
        ]);

    /// <summary>Sequential matching for video frames (neighbours in name order), exhaustive for unordered photos.</summary>
    public static ColmapCommand Matcher(string database, ColmapPreset preset, bool sequential, bool gpu)
    {
        List<string> args = sequential
            ? ["sequential_matcher", "--database_path", database,
                "--SequentialMatching.overlap", Num(preset.SequentialOverlap), "--SequentialMatching.quadratic_overlap", "1"]
            : ["exhaustive_matcher", "--database_path", database, "--ExhaustiveMatching.block_size", Num(preset.ExhaustiveBlockSize)];
        args.AddRange(["--SiftMatching.use_gpu", Flag(gpu), "--SiftMatching.guided_matching", Flag(preset.GuidedMatching)]);
        return new(ReconstructionStage.Match, args);
    }

    public static ColmapCommand Mapper(string database, string images, string sparseDir) =>
        new(ReconstructionStage.Map, ["mapper", "--database_path", database, "--image_path", images, "--output_path", sparseDir]);

    public static ColmapCommand ModelToText(string model, string textDir) =>
        new(ReconstructionStage.Export, ["model_converter", "--input_path", model, "--output_path", textDir, "--output_type", "TXT"]);

    public static ColmapCommand ImageUndistorter(string images, string model, string denseDir, ColmapPreset preset) =>
        new(ReconstructionStage.Dense,
        [
            "image_undistorter", "--image_path", images, "--input_path", model, "--output_path", denseDir,
            "--output_type", "COLMAP", "--max_image_size", Num(preset.DenseMaxImageSize),
        ]);

    public static ColmapCommand PatchMatchStereo(string denseDir, ColmapPreset preset) =>
        new(ReconstructionStage.Dense,
        [
            "patch_match_stereo", "--workspace_path", denseDir, "--workspace_format", "COLMAP",
            "--PatchMatchStereo.geom_consistency", "1", "--PatchMatchStereo.max_image_size", Num(preset.DenseMaxImageSize),
        ]);

    public static ColmapCommand StereoFusion(string denseDir, string fusedPly) =>
        new(ReconstructionStage.Dense,
        [
            "stereo_fusion", "--workspace_path", denseDir, "--workspace_format", "COLMAP",
            "--input_type", "geometric", "--output_path", fusedPly,
        ]);

    public static ColmapCommand PoissonMesher(string pointsPly, string meshPly, ColmapPreset preset, bool dense) =>
        new(ReconstructionStage.Mesh,
        [
            "poisson_mesher", "--input_path", pointsPly, "--output_path", meshPly,
            "--PoissonMeshing.depth", Num(preset.PoissonDepth),
            "--PoissonMeshing.trim", Num(dense ? Math.Min(preset.PoissonTrim + 1, 10) : preset.PoissonTrim),
        ]);

    public static ColmapCommand DelaunayMesher(string denseDir, string meshPly) =>
        new(ReconstructionStage.Mesh, ["delaunay_mesher", "--input_path", denseDir, "--input_type", "dense", "--output_path", meshPly]);
}
