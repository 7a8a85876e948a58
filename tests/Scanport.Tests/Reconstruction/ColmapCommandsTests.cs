using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

public class ColmapCommandsTests
{
    private static string Option(ColmapCommand command, string name) =>
        command.Arguments[command.Arguments.ToList().IndexOf(name) + 1];

    [Theory]
    [InlineData("low", 800, 1024)]
    [InlineData("Medium", 1000, 2048)]
    [InlineData(" high ", 2000, 4096)]
    [InlineData("EXTREME", 3200, 8192)]
    public void Each_preset_sets_the_image_size_and_feature_count_of_extraction(string quality, int size, int features)
    {
        var preset = QualityPresets.Find(quality)!;
        var command = ColmapCommands.FeatureExtractor("db", "images", preset, singleCamera: true, gpu: false);

        Assert.Equal("feature_extractor", command.Arguments[0]);
        Assert.Equal($"{size}", Option(command, "--SiftExtraction.max_image_size"));
        Assert.Equal($"{features}", Option(command, "--SiftExtraction.max_num_features"));
        Assert.Equal("0", Option(command, "--SiftExtraction.use_gpu"));
        Assert.Equal("1", Option(command, "--ImageReader.single_camera"));
    }

    [Fact]
    public void CI_presets_stay_small_and_an_unknown_name_finds_none()
    {
        Assert.All([QualityPresets.Low, QualityPresets.Medium], p =>
        {
            Assert.True(p.MaxImageSize <= 1000);
            Assert.True(p.MaxNumFeatures <= 2048);
            Assert.InRange(p.PoissonTrim, 0, 7);
        });
        Assert.Null(QualityPresets.Find("ultra"));
        Assert.Null(QualityPresets.Find(null));
        Assert.Equal(["low", "medium", "high", "extreme"], QualityPresets.All.Select(p => p.Name));
    }

    [Fact]
    public void Video_frames_match_sequentially_and_photos_exhaustively()
    {
        var sequential = ColmapCommands.Matcher("db", QualityPresets.Medium, sequential: true, gpu: false);
        var exhaustive = ColmapCommands.Matcher("db", QualityPresets.Medium, sequential: false, gpu: true);

        Assert.Equal("sequential_matcher", sequential.Arguments[0]);
        Assert.Equal("10", Option(sequential, "--SequentialMatching.overlap"));
        Assert.Equal("0", Option(sequential, "--SiftMatching.use_gpu"));
        Assert.Equal("exhaustive_matcher", exhaustive.Arguments[0]);
        Assert.Equal("20", Option(exhaustive, "--ExhaustiveMatching.block_size"));
        Assert.Equal("1", Option(exhaustive, "--SiftMatching.use_gpu"));
    }

    [Fact]
    public void Poisson_trims_sparse_points_lightly_and_the_command_line_quotes_only_what_needs_it()
    {
        var sparse = ColmapCommands.PoissonMesher("/w/points.ply", "/w/my mesh.ply", QualityPresets.Low, dense: false);
        var dense = ColmapCommands.PoissonMesher("/w/fused.ply", "/w/mesh.ply", QualityPresets.Low, dense: true);

        Assert.Equal("5", Option(sparse, "--PoissonMeshing.trim"));
        Assert.Equal("6", Option(dense, "--PoissonMeshing.trim"));
        Assert.Equal("colmap poisson_mesher --input_path /w/points.ply --output_path '/w/my mesh.ply' --PoissonMeshing.depth 8 --PoissonMeshing.trim 5",
            sparse.CommandLine);
    }

    [Theory]
    [InlineData(30, 30, 0.0, 1.0)]
    [InlineData(30, 30, 1.0, 0.5)]
    [InlineData(30, 15, 0.0, 0.5)]
    [InlineData(30, 24, 2.0, 0.16)]
    [InlineData(30, 0, 0.3, 0.0)]
    [InlineData(0, 0, 0.3, 0.0)]
    public void Quality_is_the_registered_share_discounted_by_the_reprojection_error(int total, int registered, double error, double expected)
    {
        Assert.Equal(expected, ReconstructionResult.QualityScore(total, registered, error), 9);
    }

    [Fact]
    public async Task The_installed_colmap_is_detected_and_dense_needs_cuda_and_a_gpu()
    {
        var caps = await ModuleServices.Get<ColmapPipeline>().CapabilitiesAsync(CancellationToken.None);

        Assert.True(caps.Installed);
        Assert.Matches(@"^\d+\.\d+", caps.Version);
        Assert.Equal(caps.Cuda && caps.GpuPresent, caps.UseGpu);
        Assert.Equal(caps.UseGpu && caps.PatchMatchStereo, caps.Dense);
        if (!caps.Cuda) Assert.False(caps.PatchMatchStereo, "a build without CUDA refuses patch_match_stereo");
    }
}
