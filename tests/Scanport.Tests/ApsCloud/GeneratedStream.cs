using System.Security.Cryptography;

namespace Scanport.Tests.ApsCloud;

/// <summary>A read-once stream of pseudo-random bytes, made as it is read: no buffer of its length anywhere.</summary>
public sealed class GeneratedStream : Stream
{
    private readonly long _length;
    private readonly Random _random;
    private long _position;

    public GeneratedStream(long length, int seed)
    {
        _length = length;
        _random = new Random(seed);
        // The SHA-1 is known up front by generating once with the same seed.
        var replay = new Random(seed);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var chunk = new byte[64 * 1024];
        for (long left = length; left > 0; left -= chunk.Length)
        {
            var n = (int)Math.Min(chunk.Length, left);
            replay.NextBytes(chunk.AsSpan(0, n));
            sha1.AppendData(chunk, 0, n);
        }
        Sha1 = Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    public string Sha1 { get; }

    /// <summary>The most bytes one read asked for: the reader's buffer, which must stay far below the stream's length.</summary>
    public int LargestRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        LargestRead = Math.Max(LargestRead, buffer.Length);
        var n = (int)Math.Min(buffer.Length, _length - _position);
        // Generated in the same 64 KiB steps as the hash above, so the bytes match whatever the reader's buffer size.
        var written = 0;
        while (written < n)
        {
            var inChunk = (int)(_position % (64 * 1024));
            var take = Math.Min(n - written, 64 * 1024 - inChunk);
            if (inChunk == 0) _pending = NextChunk();
            _pending.AsSpan(inChunk, take).CopyTo(buffer[written..]);
            written += take;
            _position += take;
        }
        return n;
    }

    private byte[] _pending = [];

    private byte[] NextChunk()
    {
        var chunk = new byte[64 * 1024];
        _random.NextBytes(chunk.AsSpan(0, (int)Math.Min(chunk.Length, _length - _position)));
        return chunk;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
