using System.Security.Cryptography;

namespace Scanport.Storage.Embedded;

/// <summary>
/// Where object bytes live on disk: immutable files named by a random id under <c>{DataDir}/blobs</c>. A blob
/// is written to a temporary name, flushed to disk, then renamed, so a crash never leaves a partial blob
/// under a real name; temporary files left by a crash are removed at start-up.
/// </summary>
internal sealed class BlobFiles
{
    private readonly string _root;
    private readonly string _incoming;

    public BlobFiles(string dataDir, TimeProvider clock)
    {
        _root = Path.Combine(Path.GetFullPath(dataDir), "blobs");
        _incoming = Path.Combine(_root, "incoming");
        Directory.CreateDirectory(_incoming);
        // Leftovers of writes cut short by a crash; recent ones may be another live process's uploads.
        foreach (var stale in Directory.EnumerateFiles(_incoming).Where(f => File.GetLastWriteTimeUtc(f) < clock.GetUtcNow().UtcDateTime.AddHours(-1)))
            File.Delete(stale);
    }

    public string PathOf(string blob) => Path.Combine(_root, blob[..2], blob);

    /// <summary>A blob being written; <c>CommitAsync</c> makes it permanent, disposing without it removes it.</summary>
    public PendingBlob Create()
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temp = Path.Combine(_incoming, name);
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return new PendingBlob(this, name, temp, stream);
    }

    public Stream OpenRead(string blob) =>
        new FileStream(PathOf(blob), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Delete(string blob)
    {
        try { File.Delete(PathOf(blob)); }
        catch (IOException) { }
    }

    internal sealed class PendingBlob(BlobFiles files, string name, string tempPath, FileStream stream) : IAsyncDisposable
    {
        private bool _committed;

        public string Name => name;
        public Stream Stream => stream;

        public async Task CommitAsync(CancellationToken ct)
        {
            await stream.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync();
            var final = files.PathOf(name);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(tempPath, final);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync();
            if (!_committed) File.Delete(tempPath);
        }
    }
}
