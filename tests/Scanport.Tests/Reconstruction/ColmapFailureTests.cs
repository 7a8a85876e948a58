using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

[Collection(OrbitReconstruction.Collection)]
public class ColmapFailureTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"scanport-colmap-fail-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static Task<ReconstructionResult> Run(string images, string workDir, List<string>? log = null) =>
        ModuleServices.Get<ColmapPipeline>().RunAsync(new ColmapRequest(images, workDir, "low", Sequential: false),
            _ => Task.CompletedTask,
            line =>
            {
                log?.Add(line);
                return Task.CompletedTask;
            }, CancellationToken.None);

    [Fact]
    public async Task Three_unrelated_images_fail_with_a_reason_instead_of_throwing()
    {
        // Independent Gaussian noise: plenty of features, no two images share a scene.
        var images = Directory.CreateDirectory(Path.Combine(root, "noise")).FullName;
        for (var i = 0; i < 3; i++)
        {
            var (code, _, stderr) = await ExternalProgram.RunAsync("vips",
                ["gaussnoise", Path.Combine(images, $"noise_{i}.jpg"), "640", "480", "--sigma", "60", "--mean", "128", "--seed", $"{i + 1}"]);
            Assert.True(code == 0, stderr);
        }
        var workDir = Path.Combine(root, "work");
        var log = new List<string>();

        var result = await Run(images, workDir, log);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.TotalImages);
        Assert.Equal(0, result.RegisteredImages);
        Assert.Equal(0, result.Quality);
        Assert.Contains("no pair of images to start from", result.FailureReason);
        Assert.Contains(log, l => l.StartsWith("$ colmap exhaustive_matcher ", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(workDir));
    }

    [Fact]
    public async Task A_folder_without_images_fails_before_colmap_runs()
    {
        var empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
        await File.WriteAllTextAsync(Path.Combine(empty, "notes.txt"), "no photos here");

        var result = await Run(empty, Path.Combine(root, "work"));

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.TotalImages);
        Assert.Contains("No images", result.FailureReason);
        Assert.Equal("", result.PointCloudPly);
    }

    [Fact]
    public async Task An_unknown_quality_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ModuleServices.Get<ColmapPipeline>().RunAsync(
            new ColmapRequest(root, Path.Combine(root, "work"), "ultra", false), _ => Task.CompletedTask, _ => Task.CompletedTask, CancellationToken.None));
    }
}
