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

/// <summary>
/// A body checked against the digests its headers declared: the signed SHA-256 (<c>x-amz-content-sha256</c>)
/// and any <c>x-amz-checksum-*</c> headers. Each digest is computed once, over the bytes as they are read,
/// and only those declared: a SHA-256 both signed and sent as a checksum is computed once.
/// </summary>
internal sealed class CheckedBodyStream(Stream inner, string? signedSha256Hex, IReadOnlyList<(string Name, string Value)> checksums) : VerifyingStream
{
    private readonly BodyChecksums _digests = new(checksums.Select(c => c.Name), sha256: signedSha256Hex is not null);
    private bool _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        if (n > 0) _digests.Append(buffer.Span[..n]);
        else if (!_done)
        {
            _done = true;
            if (signedSha256Hex is not null && !string.Equals(SigV4.Hex(_digests.Sha256()), signedSha256Hex, StringComparison.OrdinalIgnoreCase))
                throw new S3Exception(S3Error.Sha256Mismatch);
            foreach (var (name, value) in checksums)
                if (!_digests.Matches(name, value)) throw new S3Exception(S3Error.BadDigest);
        }
        return n;
    }
}

/// <summary>
/// Decodes an <c>aws-chunked</c> body as the AWS SDKs stream it: each chunk's signature is chained to the
/// previous one and checked when the chunk ends; the optional trailer carries a checksum of the whole body
/// (and, when signed, its own signature), checked at the end. Only the checksums the request declared in
/// <c>x-amz-trailer</c> are computed (all it knows when it declared none), and every one declared must come.
/// The decoded body must be exactly <paramref name="decodedLength"/> bytes (<c>x-amz-decoded-content-length</c>).
/// </summary>
internal sealed class AwsChunkedStream(Stream inner, AuthenticatedRequest auth, long decodedLength, bool signedChunks, bool trailer,
    IReadOnlyCollection<string>? declaredTrailers = null) : VerifyingStream
{
    private const int MaxLine = 4096;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private long _remaining;                // bytes left in the current chunk
    private bool _finished;
    private string _previousSignature = auth.Signature;
    private string? _chunkSignature;
    private readonly IncrementalHash? _chunkHash = signedChunks ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    private readonly BodyChecksums? _checksums = trailer ? new BodyChecksums(declaredTrailers) : null;

    public long DecodedLength { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        while (!_finished && !destination.IsEmpty)
        {
            if (_remaining == 0)
            {
                await StartChunkAsync(ct);
                continue;
            }
            var wanted = (int)Math.Min(destination.Length, _remaining);
            int n;
            if (_start < _end)
            {
                n = Math.Min(wanted, _end - _start);
                _buffer.AsSpan(_start, n).CopyTo(destination.Span);
                _start += n;
            }
            else
            {
                // Nothing buffered: the chunk's data goes straight to the caller, copied once.
                n = await inner.ReadAsync(destination[..wanted], ct);
                if (n == 0) throw new S3Exception(S3Error.IncompleteBody);
            }
            var data = destination.Span[..n];
            _chunkHash?.AppendData(data);
            _checksums?.Append(data);
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
        // More than declared is refused before it is read; less, at the last chunk. S3 answers IncompleteBody to both.
        if (size > decodedLength - DecodedLength || (size == 0 && DecodedLength != decodedLength))
            throw new S3Exception(S3Error.IncompleteBody);
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
        if (!await SkipEmptyLineAsync(ct)) throw new S3Exception(S3Error.InvalidArgument("Malformed aws-chunked body: chunk longer than declared."));
        if (signedChunks) VerifyChunk();
    }

    private void VerifyChunk()
    {
        var expected = SigV4.Sign(auth.SigningKey, SigV4.ChunkStringToSign(auth.AmzDate, auth.Scope, _previousSignature, SigV4.Hex(_chunkHash!.GetHashAndReset())));
        if (!string.Equals(expected, _chunkSignature, StringComparison.Ordinal)) throw new S3Exception(S3Error.SignatureDoesNotMatch);
        _previousSignature = expected;
    }

    private async Task ReadTrailerAsync(CancellationToken ct)
    {
        var trailerText = new StringBuilder();
        string? trailerSignature = null;
        var received = new HashSet<string>();
        for (var line = await ReadLineAsync(ct); line.Length > 0; line = await ReadLineAsync(ct))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) throw new S3Exception(S3Error.InvalidArgument("Malformed trailer."));
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature") { trailerSignature = value; continue; }
            trailerText.Append(name).Append(':').Append(value).Append('\n');
            received.Add(name);
            if (!_checksums!.Computes(name)) throw new S3Exception(S3Error.InvalidArgument($"The trailer {name} was not declared in x-amz-trailer."));
            if (!_checksums.Matches(name, value)) throw new S3Exception(S3Error.BadDigest);
        }
        // A checksum announced and never sent would otherwise leave the body unchecked.
        if (declaredTrailers?.Any(d => !received.Contains(d.ToLowerInvariant())) == true) throw new S3Exception(S3Error.MalformedTrailer);
        if (signedChunks)
        {
            var hash = SigV4.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(trailerText.ToString())));
            var expected = SigV4.Sign(auth.SigningKey, SigV4.TrailerStringToSign(auth.AmzDate, auth.Scope, _previousSignature, hash));
            if (!string.Equals(expected, trailerSignature, StringComparison.Ordinal)) throw new S3Exception(S3Error.SignatureDoesNotMatch);
        }
    }

    /// <summary>The CRLF that ends a chunk's data, read without making a string of it; false when something else is there.</summary>
    private async ValueTask<bool> SkipEmptyLineAsync(CancellationToken ct)
    {
        if (_end - _start >= 2 && _buffer[_start] == '\r' && _buffer[_start + 1] == '\n')
        {
            _start += 2;
            return true;
        }
        return await ReadLineAsync(ct) == "";
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        StringBuilder? sb = null; // only for a line split across reads
        while (true)
        {
            if (_start == _end && !await FillAsync(ct)) throw new S3Exception(S3Error.IncompleteBody);
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf < 0)
            {
                (sb ??= new StringBuilder()).Append(Encoding.ASCII.GetString(span));
                _start = _end;
                if (sb.Length > MaxLine) throw new S3Exception(S3Error.InvalidArgument("Malformed aws-chunked body: line too long."));
                continue;
            }
            _start += lf + 1;
            var end = lf > 0 && span[lf - 1] == '\r' ? lf - 1 : lf;
            if (sb is null) return Encoding.ASCII.GetString(span[..end]);
            return sb.Append(Encoding.ASCII.GetString(span[..lf])).ToString().TrimEnd('\r');
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await inner.ReadAsync(_buffer, ct);
        return _end > 0;
    }
}

/// <summary>
/// The flexible checksums S3 clients may send (header or trailer), computed over the decoded body: only
/// those asked for, so a body that declares CRC32 costs a CRC32 and not three digests.
/// </summary>
internal sealed class BodyChecksums
{
    private const string Crc32Name = "x-amz-checksum-crc32", Sha1Name = "x-amz-checksum-sha1", Sha256Name = "x-amz-checksum-sha256";
    private readonly Crc32? _crc32;
    private readonly IncrementalHash? _sha1, _sha256;

    /// <summary>Computes the checksums <paramref name="names"/> lists (every one it knows when null), and SHA-256 as well when <paramref name="sha256"/>.</summary>
    public BodyChecksums(IEnumerable<string>? names, bool sha256 = false)
    {
        var wanted = names?.Select(n => n.Trim().ToLowerInvariant()).ToHashSet();
        if (wanted is null || wanted.Contains(Crc32Name)) _crc32 = new Crc32();
        if (wanted is null || wanted.Contains(Sha1Name)) _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        if (sha256 || wanted is null || wanted.Contains(Sha256Name)) _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _crc32?.Append(data);
        _sha1?.AppendData(data);
        _sha256?.AppendData(data);
    }

    /// <summary>The SHA-256 of the body so far (computed when asked for at construction).</summary>
    public byte[] Sha256() => _sha256!.GetCurrentHash();

    /// <summary>False for a checksum we know but were not asked to compute; algorithms we do not know count as computed (and are accepted).</summary>
    public bool Computes(string name) => name switch
    {
        Crc32Name => _crc32 is not null,
        Sha1Name => _sha1 is not null,
        Sha256Name => _sha256 is not null,
        _ => true,
    };

    /// <summary>True when the named checksum matches; algorithms we do not compute (crc32c, crc64nvme) are accepted unchecked.</summary>
    public bool Matches(string name, string base64) => name switch
    {
        Crc32Name => _crc32 is not null && base64 == Convert.ToBase64String(BigEndian(_crc32.GetCurrentHashAsUInt32())),
        Sha256Name => _sha256 is not null && base64 == Convert.ToBase64String(_sha256.GetCurrentHash()),
        Sha1Name => _sha1 is not null && base64 == Convert.ToBase64String(_sha1.GetCurrentHash()),
        _ => true,
    };

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
