using System.Globalization;

namespace Scanport.PointClouds;

/// <summary>
/// Reads the header of a LAS or LAZ file (LAS 1.0–1.4) and its VLRs from a stream, without reading any points.
/// Built for untrusted uploads: it reads at most the header, the VLR area (capped at <see cref="MaxVlrAreaBytes"/>)
/// and, for LAS 1.4 on a seekable stream, the EVLR headers; it never allocates from a size in the file without a
/// cap; and it reports a malformed file as a <see cref="LasHeaderResult"/> with a readable reason, never by throwing.
/// </summary>
public static class LasHeaderReader
{
    /// <summary>The most VLRs a header may declare.</summary>
    public const int MaxVlrCount = 10_000;

    /// <summary>The most EVLRs a LAS 1.4 header may declare.</summary>
    public const int MaxEvlrCount = 10_000;

    /// <summary>The most bytes allowed between the end of the header and the start of the point data.</summary>
    public const int MaxVlrAreaBytes = 16 * 1024 * 1024;

    /// <summary>LAS 1.4 global encoding bit 4: the CRS is given as WKT (GeoTIFF keys, if any, are secondary).</summary>
    private const ushort WktGlobalEncodingBit = 0x10;

    /// <summary>
    /// Reads the header from the stream's current position. Works on non-seekable streams (reading forward only);
    /// EVLRs, which follow the points, are read only when the stream can seek. On success the stream is left at the
    /// first point record. Throws only for a null stream, cancellation, or an I/O failure of the stream itself.
    /// </summary>
    public static Task<LasHeaderResult> ReadAsync(Stream stream, CancellationToken ct) => ReadAsync(stream, null, ct);

    /// <summary>
    /// As <see cref="ReadAsync(Stream, CancellationToken)"/>, for a stream that cannot seek but whose length is known (a
    /// stored object's size), so that the header's sizes are checked against it as against a seekable stream's.
    /// </summary>
    public static async Task<LasHeaderResult> ReadAsync(Stream stream, long? length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var input = new LasInput(stream, length);
        var block = new byte[LasPublicHeader.Las14Size];

        var got = await input.ReadAsync(block.AsMemory(0, LasPublicHeader.MinimumSize), ct);
        var signature = LasPublicHeader.Signature;
        if (!block.AsSpan(0, Math.Min(got, 4)).SequenceEqual(signature[..Math.Min(got, 4)]) || got == 0)
            return LasHeaderResult.Failed(got == 0 ? "Not a LAS file: the stream is empty." : "Not a LAS file: it does not start with the signature \"LASF\".");
        if (got < LasPublicHeader.MinimumSize)
            return LasHeaderResult.Failed($"Truncated header: the stream ends after {got} bytes, but a LAS public header block is at least {LasPublicHeader.MinimumSize} bytes.");

        var version = LasPublicHeader.Version(block);
        if (LasPublicHeader.RequiredSize(version) is not { } required)
            return LasHeaderResult.Failed($"Unsupported LAS version {version}: this reader knows LAS 1.0 to 1.4.");
        var headerSize = LasPublicHeader.HeaderSize(block);
        if (headerSize < required)
            return LasHeaderResult.Failed($"The header size is {headerSize} bytes, smaller than the {required} bytes LAS {version} requires.");

        var inBlock = Math.Min(headerSize, block.Length);
        if (inBlock > got && await input.ReadAsync(block.AsMemory(got, inBlock - got), ct) < inBlock - got
            || !await input.SkipAsync(headerSize - inBlock, ct))
            return LasHeaderResult.Failed($"Truncated header: the stream ends before the end of the {headerSize}-byte LAS {version} header.");

        var header = LasPublicHeader.Parse(block);
        var vlrCount = LasPublicHeader.VlrCount(block);
        if (Check(header, vlrCount, input.Length) is { } problem) return LasHeaderResult.Failed(problem);

        var records = new LasRecords();
        if (await records.ReadVlrsAsync(input, vlrCount, header.OffsetToPointData, ct) is { } vlrError)
            return LasHeaderResult.Failed(vlrError);
        if (!await input.SkipAsync(header.OffsetToPointData - input.Position, ct))
            return LasHeaderResult.Failed($"Truncated file: the stream ends before the point data offset (byte {header.OffsetToPointData}).");

        if (input.CanSeek && header is { StartOfFirstEvlr: > 0 and var start, EvlrCount: > 0 and var evlrCount })
        {
            if (evlrCount > MaxEvlrCount)
                return LasHeaderResult.Failed($"The header declares {evlrCount} EVLRs; more than {MaxEvlrCount} is not a plausible LAS file.");
            if (await records.ReadEvlrsAsync(input, start, evlrCount, header.OffsetToPointData, ct) is { } evlrError)
                return LasHeaderResult.Failed(evlrError);
            input.Seek(header.OffsetToPointData);
        }

        var lasZip = records.LasZip();
        if (CheckPointData(header, header.IsCompressed || lasZip is not null, input.Length) is { } pointProblem)
            return LasHeaderResult.Failed(pointProblem);
        return new LasHeaderResult(header with
        {
            Vlrs = records.Vlrs,
            Evlrs = records.Evlrs,
            Crs = records.Crs(wktFirst: (header.GlobalEncoding & WktGlobalEncodingBit) != 0),
            LasZip = lasZip,
            IsCompressed = header.IsCompressed || lasZip is not null,
        }, null);
    }

    /// <summary>What the fixed header says about the VLR area that cannot be true.</summary>
    private static string? Check(LasHeader header, uint vlrCount, long? streamLength)
    {
        var offset = header.OffsetToPointData;
        if (offset < header.HeaderSize)
            return $"The point data offset ({offset}) lies inside the {header.HeaderSize}-byte header.";
        if (vlrCount > MaxVlrCount)
            return $"The header declares {vlrCount} VLRs; more than {MaxVlrCount} is not a plausible LAS file.";
        var area = offset - header.HeaderSize;
        if (area > MaxVlrAreaBytes)
            return $"The VLR area between the header and the point data is {area} bytes; this reader accepts at most {MaxVlrAreaBytes}.";
        if ((long)vlrCount * LasRecords.VlrHeaderSize > area)
            return $"The header declares {vlrCount} VLRs, which need at least {(long)vlrCount * LasRecords.VlrHeaderSize} bytes, but only {area} bytes lie between the header and the point data.";
        if (offset > streamLength)
            return $"The point data offset ({offset}) is past the end of the stream ({streamLength} bytes).";
        return NonFinite(header);
    }

    /// <summary>
    /// Whether the points the header declares fit in the stream. Uncompressed records have a fixed length, so they must
    /// fit whole; compressed ones have none, so a LAZ file is only held to having some data after the offset.
    /// </summary>
    private static string? CheckPointData(LasHeader header, bool compressed, long? streamLength)
    {
        if (streamLength is not { } length || header.PointCount == 0) return null;
        if (compressed)
            return header.OffsetToPointData < length ? null
                : $"The header declares {header.PointCount} compressed points, but the stream ends at the point data offset ({header.OffsetToPointData}).";
        var needed = header.OffsetToPointData + (UInt128)header.PointCount * header.PointRecordLength;
        return needed <= (ulong)length ? null
            : $"The header declares {header.PointCount} points of {header.PointRecordLength} bytes from byte {header.OffsetToPointData}, "
                + $"{needed} bytes in all, but the stream is {length} bytes: the file is truncated or its header is wrong.";
    }

    /// <summary>
    /// A scale, offset or bound that is NaN or infinite: no coordinate of the file can be computed or placed with it (and
    /// it would reach the database and every client as a value JSON cannot carry).
    /// </summary>
    private static string? NonFinite(LasHeader header)
    {
        var (scale, offset, min, max) = (header.Scale, header.Offset, header.Bounds.Min, header.Bounds.Max);
        ReadOnlySpan<(string Name, double Value)> fields =
        [
            ("x scale factor", scale.X), ("y scale factor", scale.Y), ("z scale factor", scale.Z),
            ("x offset", offset.X), ("y offset", offset.Y), ("z offset", offset.Z),
            ("min x", min.X), ("min y", min.Y), ("min z", min.Z), ("max x", max.X), ("max y", max.Y), ("max z", max.Z),
        ];
        foreach (var (name, value) in fields)
            if (!double.IsFinite(value))
                return $"The header's {name} is {value.ToString(CultureInfo.InvariantCulture)}: scale factors, offsets and bounds must be finite numbers.";
        return null;
    }
}
