namespace Scanport.PointClouds;

/// <summary>
/// A forward reader over the caller's stream that knows where it is relative to where it started. Skips seek when the
/// stream can, and read into one small scratch buffer when it cannot, so nothing is allocated from a size in the file.
/// </summary>
/// <param name="stream">The caller's stream, read from its current position.</param>
/// <param name="knownLength">The stream's length when it cannot seek but its size is known (a stored object's).</param>
internal sealed class LasInput(Stream stream, long? knownLength = null)
{
    private readonly long _origin = stream.CanSeek ? stream.Position : 0;
    private byte[]? _scratch;

    /// <summary>Bytes from where reading started.</summary>
    public long Position { get; private set; }

    /// <summary>The stream's length from where reading started; null when it cannot seek and none was given.</summary>
    public long? Length { get; } = stream.CanSeek ? stream.Length - stream.Position : knownLength;

    public bool CanSeek => stream.CanSeek;

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; returns how many bytes came.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        Position += read;
        return read;
    }

    /// <summary>Moves forward <paramref name="count"/> bytes; false when the stream ends first.</summary>
    public async ValueTask<bool> SkipAsync(long count, CancellationToken ct)
    {
        if (count <= 0) return count == 0;
        if (Position + count > Length) return false;
        if (CanSeek)
        {
            Seek(Position + count);
            return true;
        }
        _scratch ??= new byte[16 * 1024];
        while (count > 0)
        {
            var read = await ReadAsync(_scratch.AsMemory(0, (int)Math.Min(count, _scratch.Length)), ct);
            if (read == 0) return false;
            count -= read;
        }
        return true;
    }

    /// <summary>Jumps to <paramref name="position"/> (relative to the start); only for seekable streams.</summary>
    public void Seek(long position)
    {
        stream.Position = _origin + position;
        Position = position;
    }
}
