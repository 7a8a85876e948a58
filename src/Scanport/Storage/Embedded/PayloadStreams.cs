using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Scanport.Storage.Embedded;

/// <summary>A read-only stream over a request body that checks it as it is read; a mismatch throws <see cref="S3Exception"/> at the end.</summary>
internal abstract class VerifyingStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
}

/// <summary>A body whose SHA-256 was signed (<c>x-amz-content-sha256</c> is its hex hash).</summary>
internal sealed class Sha256CheckedStream(Stream inner, string expectedHex) : VerifyingStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        if (n > 0) _hash.AppendData(buffer.Span[..n]);
        else if (!_done)
        {
            _done = true;
            if (!string.Equals(SigV4.Hex(_hash.GetHashAndReset()), expectedHex, StringComparison.OrdinalIgnoreCase))
                throw new S3Exception(S3Error.Sha256Mismatch);
        }
        return n;
    }
}

/// <summary>
/// Decodes an <c>aws-chunked</c> body as the AWS SDKs stream it: each chunk's signature is chained to the
/// previous one and checked when the chunk ends; the optional trailer carries a checksum of the whole body
/// (and, when signed, its own signature), checked at the end.
/// </summary>
internal sealed class AwsChunkedStream(Stream inner, AuthenticatedRequest auth, bool signedChunks, bool trailer) : VerifyingStream
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private long _remaining;                // bytes left in the current chunk
    private bool _finished;
    private string _previousSignature = auth.Signature;
    private string? _chunkSignature;
    private readonly IncrementalHash _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly BodyChecksums _checksums = new();

    public long DecodedLength { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        while (!_finished)
        {
            if (_remaining == 0)
            {
                await StartChunkAsync(ct);
                continue;
            }
            if (_start == _end && !await FillAsync(ct)) throw new S3Exception(S3Error.IncompleteBody);
            var n = (int)Math.Min(Math.Min(destination.Length, _end - _start), _remaining);
            var data = _buffer.AsSpan(_start, n);
            data.CopyTo(destination.Span);
            if (signedChunks) _chunkHash.AppendData(data);
            _checksums.Append(data);
            _start += n;
            _remaining -= n;
            DecodedLength += n;
            if (_remaining == 0) await EndChunkAsync(ct);
            return n;
        }
        return 0;
    }

    private async Task StartChunkAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        var semicolon = line.IndexOf(';');
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (!long.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0)
            throw new S3Exception(S3Error.InvalidArgument("Malformed aws-chunked body: bad chunk size."));
        _chunkSignature = null;
        if (signedChunks)
        {
            const string marker = "chunk-signature=";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0) throw new S3Exception(S3Error.SignatureDoesNotMatch);
            _chunkSignature = line[(at + marker.Length)..];
        }
        if (size > 0)
        {
            _remaining = size;
            return;
        }
        if (signedChunks) VerifyChunk();
        if (trailer) await ReadTrailerAsync(ct);
        else await ReadLineAsync(ct); // the empty line ending the body
        _finished = true;
    }

    private async Task EndChunkAsync(CancellationToken ct)
    {
        if (await ReadLineAsync(ct) != "") throw new S3Exception(S3Error.InvalidArgument("Malformed aws-chunked body: chunk longer than declared."));
        if (signedChunks) VerifyChunk();
    }

    private void VerifyChunk()
    {
        var expected = SigV4.Sign(auth.SigningKey, SigV4.ChunkStringToSign(auth.AmzDate, auth.Scope, _previousSignature, SigV4.Hex(_chunkHash.GetHashAndReset())));
        if (!string.Equals(expected, _chunkSignature, StringComparison.Ordinal)) throw new S3Exception(S3Error.SignatureDoesNotMatch);
        _previousSignature = expected;
    }

    private async Task ReadTrailerAsync(CancellationToken ct)
    {
        var trailerText = new StringBuilder();
        string? trailerSignature = null;
        for (var line = await ReadLineAsync(ct); line.Length > 0; line = await ReadLineAsync(ct))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) throw new S3Exception(S3Error.InvalidArgument("Malformed trailer."));
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature") { trailerSignature = value; continue; }
            trailerText.Append(name).Append(':').Append(value).Append('\n');
            if (!_checksums.Matches(name, value)) throw new S3Exception(S3Error.BadDigest);
        }
        if (signedChunks)
        {
            var hash = SigV4.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(trailerText.ToString())));
            var expected = SigV4.Sign(auth.SigningKey, SigV4.TrailerStringToSign(auth.AmzDate, auth.Scope, _previousSignature, hash));
            if (!string.Equals(expected, trailerSignature, StringComparison.Ordinal)) throw new S3Exception(S3Error.SignatureDoesNotMatch);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct)) throw new S3Exception(S3Error.IncompleteBody);
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf < 0)
            {
                sb.Append(Encoding.ASCII.GetString(span));
                _start = _end;
                if (sb.Length > 4096) throw new S3Exception(S3Error.InvalidArgument("Malformed aws-chunked body: line too long."));
                continue;
            }
            sb.Append(Encoding.ASCII.GetString(span[..lf]));
            _start += lf + 1;
            return sb.ToString().TrimEnd('\r');
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await inner.ReadAsync(_buffer, ct);
        return _end > 0;
    }
}

/// <summary>The flexible checksums S3 clients may send (header or trailer): computed over the decoded body.</summary>
internal sealed class BodyChecksums
{
    private readonly Crc32 _crc32 = new();
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);

    public void Append(ReadOnlySpan<byte> data)
    {
        _crc32.Append(data);
        _sha256.AppendData(data);
        _sha1.AppendData(data);
    }

    /// <summary>True when the named checksum matches; algorithms we do not compute (crc32c, crc64nvme) are accepted unchecked.</summary>
    public bool Matches(string name, string base64) => name switch
    {
        "x-amz-checksum-crc32" => base64 == Convert.ToBase64String(BigEndian(_crc32.GetCurrentHashAsUInt32())),
        "x-amz-checksum-sha256" => base64 == Convert.ToBase64String(_sha256.GetCurrentHash()),
        "x-amz-checksum-sha1" => base64 == Convert.ToBase64String(_sha1.GetCurrentHash()),
        _ => true,
    };

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}

/// <summary>A body sent with an <c>x-amz-checksum-*</c> header, checked when it ends.</summary>
internal sealed class HeaderChecksumStream(Stream inner, string name, string value) : VerifyingStream
{
    private readonly BodyChecksums _checksums = new();
    private bool _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        if (n > 0) _checksums.Append(buffer.Span[..n]);
        else if (!_done)
        {
            _done = true;
            if (!_checksums.Matches(name, value)) throw new S3Exception(S3Error.BadDigest);
        }
        return n;
    }
}
