using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

public class ColmapOutputTests
{
    [Theory]
    [InlineData("Processed file [12/30]", 0.4)]
    [InlineData("Processed file [30/30]", 1.0)]
    [InlineData("Matching image [3/30] in 2.398s", 0.1)]
    [InlineData("Matching block [1/3, 1/3] in 4.1s", 1.0 / 9)]
    [InlineData("Matching block [2/3, 3/3] in 4.1s", 6.0 / 9)]
    [InlineData("Matching block [3/10] in 1.0s", 0.3)]
    [InlineData("Initializing with image pair #17 and #18", 2.0 / 30)]
    [InlineData("Registering image #5 (12)", 0.4)]
    [InlineData("Registering image #1 (30)", 1.0)]
    [InlineData("Undistorting image [5/10]", 0.5)]
    [InlineData("Processing view 4 / 10 for frame_003.jpg", 0.3)]
    [InlineData("Fusing image [7/10] with index 6", 0.7)]
    public void Progress_lines_give_the_share_of_the_command_done(string line, double expected)
    {
        Assert.Equal(expected, ColmapOutput.Progress(line, totalImages: 30)!.Value, 9);
    }

    [Theory]
    [InlineData("  Name:            frame_000.jpg")]
    [InlineData("Elapsed time: 0.465 [minutes]")]
    [InlineData("==============================================================================")]
    [InlineData("Bundle adjustment report")]
    [InlineData("")]
    [InlineData("Processed file [1/0]")]
    public void Other_lines_say_nothing(string line)
    {
        Assert.Null(ColmapOutput.Progress(line, totalImages: 30));
    }

    [Fact]
    public void The_mapper_count_is_capped_at_the_images_given()
    {
        Assert.Equal(1.0, ColmapOutput.Progress("Registering image #40 (40)", totalImages: 30));
        Assert.Null(ColmapOutput.Progress("Registering image #4 (4)", totalImages: 0));
    }

    [Fact]
    public void Feature_counts_and_a_missing_initial_pair_are_recognised()
    {
        Assert.Equal(2681, ColmapOutput.Features("  Features:        2681"));
        Assert.Equal(-1, ColmapOutput.Features("  Focal Length:    768.00px"));
        Assert.True(ColmapOutput.NoInitialPair("  => No good initial image pair found."));
        Assert.False(ColmapOutput.NoInitialPair("Initializing with image pair #17 and #18"));
    }
}
