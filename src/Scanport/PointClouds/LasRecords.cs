using System.Buffers.Binary;

namespace Scanport.PointClouds;

/// <summary>
/// Reads the (extended) variable-length records: their headers always, their payloads only for the few records the
/// header reports on (GeoTIFF keys, WKT, LASzip), and each of those at most once and at most
/// <see cref="MaxPayloadBytes"/> long. Errors come back as text, never as exceptions.
/// </summary>
internal sealed class LasRecords
{
    public const int VlrHeaderSize = 54;
    public const int EvlrHeaderSize = 60;
    public const int MaxPayloadBytes = 1024 * 1024;
    public const string Projection = "LASF_Projection";
    public const ushort WktRecordId = 2112;
    public const string LasZipUser = "laszip encoded";
    public const ushort LasZipRecordId = 22204;

    private readonly Dictionary<(string, ushort), byte[]> _payloads = [];
    private readonly byte[] _head = new byte[EvlrHeaderSize];

    public List<LasVariableLengthRecord> Vlrs { get; } = [];
    public List<LasVariableLengthRecord> Evlrs { get; } = [];

    /// <summary>
    /// Reads <paramref name="count"/> VLRs, all of which must end by <paramref name="areaEnd"/> (the point data offset,
    /// already checked against the length of a seekable stream).
    /// </summary>
    public async Task<string?> ReadVlrsAsync(LasInput input, uint count, long areaEnd, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            if (input.Position + VlrHeaderSize > areaEnd)
                return $"VLR {i + 1} of {count} would start at byte {input.Position}, but its 54-byte header does not fit before the point data at byte {areaEnd}.";
            if (await input.ReadAsync(_head.AsMemory(0, VlrHeaderSize), ct) < VlrHeaderSize)
                return $"Truncated file: the stream ends inside the header of VLR {i + 1} of {count}.";

            var vlr = new LasVariableLengthRecord(
                LasText.Decode(_head.AsSpan(2, 16)), U16(18), LasText.Decode(_head.AsSpan(22, 32)), U16(20), IsExtended: false);
            Vlrs.Add(vlr);
            var end = input.Position + (long)vlr.Length;
            if (end > areaEnd)
                return $"VLR {i + 1} of {count} ({Name(vlr)}) is {vlr.Length} bytes long and would end at byte {end}, past the start of the point data at byte {areaEnd}.";
            if (!await ReadPayloadAsync(input, vlr, ct))
                return $"Truncated file: the stream ends inside VLR {i + 1} of {count} ({Name(vlr)}).";
        }
        return null;
    }

    /// <summary>Reads the headers of LAS 1.4's extended VLRs; the input must be seekable.</summary>
    public async Task<string?> ReadEvlrsAsync(LasInput input, ulong start, uint count, long pointDataOffset, CancellationToken ct)
    {
        var length = input.Length ?? 0;
        if (start < (ulong)pointDataOffset)
            return $"The first EVLR is said to start at byte {start}, before the point data at byte {pointDataOffset}.";
        if (start > (ulong)length || (ulong)count * EvlrHeaderSize > (ulong)length - start)
            return $"{count} EVLRs starting at byte {start} would run past the end of the stream at byte {length}.";
        input.Seek((long)start);
        for (var i = 0; i < count; i++)
        {
            if (await input.ReadAsync(_head, ct) < EvlrHeaderSize)
                return $"Truncated file: the stream ends inside the header of EVLR {i + 1} of {count}.";
            var evlr = new LasVariableLengthRecord(
                LasText.Decode(_head.AsSpan(2, 16)), U16(18), LasText.Decode(_head.AsSpan(28, 32)),
                BinaryPrimitives.ReadUInt64LittleEndian(_head.AsSpan(20)), IsExtended: true);
            Evlrs.Add(evlr);
            if (evlr.Length > (ulong)(length - input.Position))
                return $"EVLR {i + 1} of {count} ({Name(evlr)}) is {evlr.Length} bytes long, past the end of the stream at byte {length}.";
            if (!await ReadPayloadAsync(input, evlr, ct))
                return $"Truncated file: the stream ends inside EVLR {i + 1} of {count} ({Name(evlr)}).";
        }
        return null;
    }

    /// <summary>
    /// The CRS from the GeoTIFF keys completed from the WKT record, or the other way round when the header's WKT bit
    /// says WKT is the file's CRS; null when neither is present.
    /// </summary>
    public LasCrs? Crs(bool wktFirst)
    {
        var keys = _payloads.GetValueOrDefault((Projection, GeoKeyDirectory.RecordId));
        var fromKeys = keys is null ? null : GeoKeyDirectory.Parse(
            keys,
            _payloads.GetValueOrDefault((Projection, GeoKeyDirectory.DoubleParamsRecordId)),
            _payloads.GetValueOrDefault((Projection, GeoKeyDirectory.AsciiParamsRecordId)));
        var wkt = _payloads.GetValueOrDefault((Projection, WktRecordId)) is { } text && LasText.Decode(text) is { Length: > 0 } decoded
            ? WellKnownText.Parse(decoded)
            : null;
        return wktFirst ? wkt?.Or(fromKeys) ?? fromKeys : fromKeys?.Or(wkt) ?? wkt;
    }

    /// <summary>The LASzip VLR's version and chunking, when the file has one.</summary>
    public LasZipInfo? LasZip()
    {
        var present = Vlrs.Concat(Evlrs).Any(r => r.UserId == LasZipUser && r.RecordId == LasZipRecordId);
        if (!present) return null;
        var p = _payloads.GetValueOrDefault((LasZipUser, LasZipRecordId));
        return p is { Length: >= 16 }
            ? new LasZipInfo(p[4], p[5], BinaryPrimitives.ReadUInt16LittleEndian(p.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(p),
                BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(12)))
            : new LasZipInfo(0, 0, 0, 0, 0);
    }

    private async ValueTask<bool> ReadPayloadAsync(LasInput input, LasVariableLengthRecord record, CancellationToken ct)
    {
        var key = (record.UserId, record.RecordId);
        if (!Wanted(key) || _payloads.ContainsKey(key) || record.Length > MaxPayloadBytes)
            return await input.SkipAsync((long)record.Length, ct);
        var payload = new byte[record.Length];
        if (await input.ReadAsync(payload, ct) < payload.Length) return false;
        _payloads[key] = payload;
        return true;
    }

    private static bool Wanted((string User, ushort Record) key) => key switch
    {
        (Projection, GeoKeyDirectory.RecordId or GeoKeyDirectory.DoubleParamsRecordId or GeoKeyDirectory.AsciiParamsRecordId or WktRecordId) => true,
        (LasZipUser, LasZipRecordId) => true,
        _ => false,
    };

    private static string Name(LasVariableLengthRecord r) => $"user \"{r.UserId}\", record {r.RecordId}";

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(_head.AsSpan(at));
}
