namespace Scanport.Storage;

/// <summary>
/// A response body as a writer that cannot seek or read, for <see cref="System.IO.Compression.ZipArchive"/> in create
/// mode, whatever the body underneath (Kestrel's, or a test's memory stream). ZipArchive writes a few small records
/// (an entry's 16-byte data descriptor) synchronously even from its async API; Kestrel refuses synchronous writes, and
/// allowing them would block a thread on the client. Those bytes are held here and go out, in order, before the next
/// asynchronous write or flush.
/// </summary>
internal sealed class ForwardOnlyBody(Stream inner) : Stream
{
    private readonly MemoryStream _held = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _held.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await ReleaseHeldAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Nothing: held bytes wait for an asynchronous write or flush, which may reach the client.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await ReleaseHeldAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await ReleaseHeldAsync(CancellationToken.None);
        await base.DisposeAsync();
    }

    private async ValueTask ReleaseHeldAsync(CancellationToken ct)
    {
        if (_held.Length == 0) return;
        await inner.WriteAsync(_held.GetBuffer().AsMemory(0, (int)_held.Length), ct);
        _held.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
