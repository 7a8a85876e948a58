using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Tests.Data;

/// <summary>What a crash leaves in the temporary folders goes while the node runs, not only at its next start.</summary>
public sealed class ScratchSweeperTests
{
    [Fact]
    public async Task Abandoned_temporary_files_and_work_folders_are_swept_while_fresh_and_open_ones_stay()
    {
        var app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Scanport:ScratchSweepInterval"] = "00:00:00.200" });
        try
        {
            var dataDir = app.Services.GetRequiredService<IOptions<ScanportOptions>>().Value.DataDir;
            var longAgo = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-2);
            string Drop(string folder, string name, bool old)
            {
                var path = Path.Combine(dataDir, folder, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, "left behind");
                if (old) File.SetLastWriteTimeUtc(path, longAgo);
                return path;
            }

            var abandoned = new[]
            {
                Drop("blobs/incoming", "crashed-upload", old: true),
                Drop("tmp/uploads", "crashed-video", old: true),
                Drop("tmp", "image-crashed", old: true),
            };
            var fresh = new[] { Drop("blobs/incoming", "live-upload", old: false), Drop("tmp/uploads", "live-video", old: false) };
            var heldOpen = Drop("blobs/incoming", "slow-upload", old: true);
            await using var slowUpload = new FileStream(heldOpen, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            File.SetLastWriteTimeUtc(heldOpen, longAgo);
            var deadJob = Path.GetDirectoryName(Drop("work/dead-job/frames", "frame_0001.jpg", old: true))!;
            Directory.SetLastWriteTimeUtc(deadJob, longAgo);
            Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(deadJob)!, longAgo);
            var runningJob = Path.GetDirectoryName(Drop("work/running-job", "database.db", old: false))!;
            Directory.SetLastWriteTimeUtc(runningJob, longAgo);

            for (var i = 0; i < 100 && (abandoned.Any(File.Exists) || Directory.Exists(Path.Combine(dataDir, "work/dead-job"))); i++)
                await Task.Delay(100);
            Assert.All(abandoned, path => Assert.False(File.Exists(path), path));
            Assert.False(Directory.Exists(Path.Combine(dataDir, "work/dead-job")));

            await Task.Delay(500); // more sweeps
            Assert.All(fresh, path => Assert.True(File.Exists(path), path));
            Assert.True(File.Exists(heldOpen));
            Assert.True(File.Exists(Path.Combine(runningJob, "database.db")));
            Assert.True(Directory.Exists(Path.Combine(dataDir, "tmp/uploads")));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Scanport:ScratchMaxAge", "00:00:01")]
    [InlineData("Scanport:ScratchSweepInterval", "00:00:00")]
    [InlineData("Scanport:ScratchSweepInterval", "2.00:00:00")]
    public void Sweep_settings_out_of_range_fail_validation_naming_the_key(string key, string value)
    {
        var dataDir = Directory.CreateTempSubdirectory("scanport-options-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Scanport:DataDir"] = dataDir, [key] = value }).Build();
            using var services = new ServiceCollection().AddData(configuration).BuildServiceProvider();
            var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ScanportOptions>>().Value);
            Assert.Contains(key.Split(':')[1], failure.Message);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
