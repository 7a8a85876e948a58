namespace Scanport.Storage.Embedded;

/// <summary>The blobs of one object read back to back, opening each only when reached.</summary>
internal sealed class BlobSequenceStream(BlobFiles files, IReadOnlyList<(string Blob, long Size)> blobs) : VerifyingStream
{
    private int _index = -1;
    private Stream? _current;
    private long _skip;

    /// <summary>Starts reading at <paramref name="offset"/>, skipping whole blobs without opening them.</summary>
    public Task SkipAsync(long offset, CancellationToken ct)
    {
        _skip = offset;
        return Task.CompletedTask;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (true)
        {
            if (_current is null)
            {
                if (++_index >= blobs.Count) return 0;
                if (_skip >= blobs[_index].Size)
                {
                    _skip -= blobs[_index].Size;
                    continue;
                }
                _current = files.OpenRead(blobs[_index].Blob);
                if (_skip > 0) { _current.Seek(_skip, SeekOrigin.Begin); _skip = 0; }
            }
            var n = await _current.ReadAsync(buffer, ct);
            if (n > 0) return n;
            await _current.DisposeAsync();
            _current = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _current?.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null) await _current.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>At most <c>length</c> bytes of another stream (a range).</summary>
internal sealed class LimitedStream(Stream inner, long length) : VerifyingStream
{
    private long _left = length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_left <= 0) return 0;
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], ct);
        _left -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
