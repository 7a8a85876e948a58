using Amazon.S3.Model;
using Scanport.Tests.Storage;

namespace Scanport.Tests.Data;

/// <summary>The data directory holds the signing key and every object: only Scanport's own account may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_fresh_data_directory_and_everything_written_in_it_are_private_to_the_service_account()
    {
        using var parent = new TempFolder();
        var dataDir = Path.Combine(parent.Path, "data");
        var app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Scanport:DataDir"] = dataDir });
        try
        {
            var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "private/");
            using (var s3 = creds.SdkClient())
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = creds.Bucket, Key = creds.Prefix + "scan.bin", ContentBody = "bytes" });

            Assert.Equal(PrivateDirectory, File.GetUnixFileMode(dataDir));
            // On PostgreSQL the database lives in the server's own directory, not here.
            var database = Path.Combine(dataDir, "scanport.db");
            Assert.Equal(app.Provider == "sqlite", File.Exists(database));
            var blobs = Directory.EnumerateFiles(Path.Combine(dataDir, "blobs"), "*", SearchOption.AllDirectories).ToList();
            Assert.NotEmpty(blobs);
            var files = new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists)
                .Concat(blobs).Concat(Directory.EnumerateFiles(Path.Combine(dataDir, "keys")));
            Assert.All(files, f => Assert.Equal((f, Private), (f, File.GetUnixFileMode(f))));
            Assert.All(Directory.EnumerateDirectories(dataDir, "*", SearchOption.AllDirectories),
                d => Assert.Equal((d, PrivateDirectory), (d, File.GetUnixFileMode(d))));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_data_directory_an_earlier_version_left_open_is_closed_at_start()
    {
        using var parent = new TempFolder();
        var dataDir = Path.Combine(parent.Path, "data");
        Directory.CreateDirectory(Path.Combine(dataDir, "keys"));
        var key = Path.Combine(dataDir, "keys", "storage-master.key");
        await File.WriteAllBytesAsync(key, new byte[32]);
        File.SetUnixFileMode(dataDir, PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(key, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Scanport:DataDir"] = dataDir });
        await ((IAsyncLifetime)app).DisposeAsync();

        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(dataDir));
        Assert.Equal(Private, File.GetUnixFileMode(key));
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("scanport-modes-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
