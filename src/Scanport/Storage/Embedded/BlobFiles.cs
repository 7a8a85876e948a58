using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Scanport.Storage.Embedded;

/// <summary>
/// Where object bytes live on disk: immutable files named by a random id under <c>{DataDir}/blobs</c>. A blob
/// is written to a temporary name, flushed to disk, then renamed (and the rename flushed), so a crash never
/// leaves a partial blob under a real name; temporary files left by a crash are removed by the data module's
/// ScratchSweeper, at start-up and while the node runs (a blob being written is held open, which it respects).
/// </summary>
internal sealed class BlobFiles
{
    private readonly string _root;
    private readonly string _incoming;
    private readonly BlockBuffers _buffers = new();

    /// <summary>Blobs being written, under the data directory.</summary>
    public const string IncomingFolder = "blobs/incoming";

    public BlobFiles(string dataDir)
    {
        _root = Path.Combine(Path.GetFullPath(dataDir), "blobs");
        _incoming = Path.Combine(Path.GetFullPath(dataDir), IncomingFolder);
        Directory.CreateDirectory(_incoming);
    }

    public string PathOf(string blob) => Path.Combine(_root, blob[..2], blob);

    /// <summary>A blob being written; <c>Commit</c> makes it permanent, disposing without it removes it.</summary>
    public PendingBlob Create()
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temp = Path.Combine(_incoming, name);
        var file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous);
        return new PendingBlob(this, name, temp, file, _buffers.Rent());
    }

    /// <summary>
    /// A new blob with the bytes of <paramref name="blob"/>: a hard link to the same file where the file system has
    /// them (blobs never change once written, and deleting one name leaves the other), else a copy written as every
    /// blob is. Throws <see cref="FileNotFoundException"/> when the blob is gone.
    /// </summary>
    public async Task<string> ShareAsync(string blob, CancellationToken ct)
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var final = PathOf(name);
        var directory = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(directory);
        if (!LinuxFiles.TryHardLink(PathOf(blob), final))
        {
            var temp = Path.Combine(_incoming, name);
            try
            {
                await using (var source = OpenRead(blob))
                await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    await source.CopyToAsync(target, 1 << 16, ct);
                    target.Flush(flushToDisk: true);
                }
                File.Move(temp, final);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        LinuxFiles.SyncDirectory(directory);
        return name;
    }

    public Stream OpenRead(string blob) =>
        new FileStream(PathOf(blob), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Delete(string blob)
    {
        try { File.Delete(PathOf(blob)); }
        catch (IOException) { }
    }

    /// <summary>
    /// Bytes are written from <see cref="Buffer"/>. Whole blocks go to the disk directly, past the page cache
    /// (copying an upload into the cache costs more CPU than anything else the write does); a short last
    /// block, and every block on a file system without direct I/O, goes through the cache. Either way the
    /// commit's fsync is what makes the bytes durable.
    /// </summary>
    internal sealed class PendingBlob(BlobFiles files, string name, string tempPath, SafeFileHandle file, Memory<byte> buffer) : IAsyncDisposable
    {
        private long _length;
        private bool? _direct; // decided at the first write
        private bool _closed, _committed;

        public string Name => name;

        /// <summary>Where to gather the next write: <see cref="BlockBuffers.Size"/> bytes, aligned for direct I/O.</summary>
        public Memory<byte> Buffer => buffer;

        /// <summary>Appends <paramref name="count"/> bytes from the start of <see cref="Buffer"/>.</summary>
        public async ValueTask WriteAsync(int count, CancellationToken ct)
        {
            var whole = count % LinuxFiles.DirectAlignment == 0;
            if (_direct is null) _direct = whole && LinuxFiles.TrySetDirect(file, on: true);
            else if (_direct is true && !whole) LeaveDirect();
            try
            {
                await RandomAccess.WriteAsync(file, buffer[..count], _length, ct);
            }
            catch (IOException) when (_direct is true)
            {
                // A device that wants more alignment than a page: write through the cache after all.
                LeaveDirect();
                await RandomAccess.WriteAsync(file, buffer[..count], _length, ct);
            }
            _length += count;
        }

        /// <summary>Once a write is not whole blocks, the file stays in the page cache for good.</summary>
        private void LeaveDirect()
        {
            if (!LinuxFiles.TrySetDirect(file, on: false)) throw new IOException("Cannot turn direct I/O off for a blob being written.");
            _direct = false;
        }

        /// <summary>fsync, then the rename to the blob's name, then fsync of the directory that holds it.</summary>
        public void Commit(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            RandomAccess.FlushToDisk(file);
            Close();
            var final = files.PathOf(name);
            var directory = Path.GetDirectoryName(final)!;
            Directory.CreateDirectory(directory);
            File.Move(tempPath, final);
            LinuxFiles.SyncDirectory(directory);
            _committed = true;
        }

        public ValueTask DisposeAsync()
        {
            Close();
            if (!_committed) File.Delete(tempPath);
            return ValueTask.CompletedTask;
        }

        private void Close()
        {
            if (_closed) return;
            _closed = true;
            file.Dispose();
            files._buffers.Return(buffer);
        }
    }
}
