using System.Diagnostics.CodeAnalysis;

namespace Scanport.PointClouds;

/// <summary>
/// The public header block of a LAS or LAZ file (LAS 1.0 to 1.4) and its variable-length records, read without
/// touching the points. Read one with <see cref="LasHeaderReader.ReadAsync(Stream, CancellationToken)"/>.
/// </summary>
/// <param name="Version">The format version, e.g. 1.2.</param>
/// <param name="FileSourceId">The flight line or tile id (reserved in LAS 1.0).</param>
/// <param name="GlobalEncoding">The global encoding bits (reserved in LAS 1.0).</param>
/// <param name="ProjectId">The project GUID, as written.</param>
/// <param name="SystemIdentifier">Which hardware or process made the data, NUL padding removed.</param>
/// <param name="GeneratingSoftware">Which software wrote the file, NUL padding removed.</param>
/// <param name="CreationDate">The day of year and year of creation, when they name a real day; null when unset or invalid.</param>
/// <param name="HeaderSize">The size of the public header block in bytes.</param>
/// <param name="OffsetToPointData">Where the first point record starts, from the start of the file.</param>
/// <param name="PointDataFormat">The point data record format (0–10), with the LAZ compression bits (0x80, 0x40) masked off.</param>
/// <param name="IsCompressed">True when the format byte has a compression bit set or a LASzip VLR is present (a LAZ file).</param>
/// <param name="PointRecordLength">The size of one (uncompressed) point record in bytes, extra bytes included.</param>
/// <param name="PointCount">The number of points: the 64-bit count of LAS 1.4 when it is set, else the legacy 32-bit count.</param>
/// <param name="LegacyPointCount">The 32-bit point count of the LAS 1.0–1.3 header (0 in LAS 1.4 files with more than 2³² points or formats 6–10).</param>
/// <param name="PointsByReturn">Points per return number: 5 entries before LAS 1.4, 15 in LAS 1.4.</param>
/// <param name="Scale">The scale factors that turn stored integers into coordinates.</param>
/// <param name="Offset">The offsets added after scaling.</param>
/// <param name="Bounds">The extent of the points, in the file's coordinate system and units.</param>
/// <param name="StartOfWaveformData">LAS 1.3 and later: where waveform data starts (0 when there is none); null before 1.3.</param>
/// <param name="StartOfFirstEvlr">LAS 1.4: where the first extended VLR starts (0 when there is none); null before 1.4.</param>
/// <param name="EvlrCount">LAS 1.4: the number of extended VLRs the header declares; null before 1.4.</param>
/// <param name="Vlrs">The variable-length records between the header and the points.</param>
/// <param name="Evlrs">
/// LAS 1.4: the extended VLRs after the points. Read only from seekable streams (they sit after the points); empty otherwise.
/// </param>
/// <param name="Crs">The coordinate reference system from the GeoTIFF keys or the OGC WKT record; null when the file names none.</param>
/// <param name="LasZip">The LASzip VLR when present.</param>
public sealed record LasHeader(
    LasVersion Version,
    ushort FileSourceId,
    ushort GlobalEncoding,
    Guid ProjectId,
    string SystemIdentifier,
    string GeneratingSoftware,
    DateOnly? CreationDate,
    ushort HeaderSize,
    uint OffsetToPointData,
    byte PointDataFormat,
    bool IsCompressed,
    ushort PointRecordLength,
    ulong PointCount,
    uint LegacyPointCount,
    IReadOnlyList<ulong> PointsByReturn,
    LasXyz Scale,
    LasXyz Offset,
    LasBounds Bounds,
    ulong? StartOfWaveformData,
    ulong? StartOfFirstEvlr,
    uint? EvlrCount,
    IReadOnlyList<LasVariableLengthRecord> Vlrs,
    IReadOnlyList<LasVariableLengthRecord> Evlrs,
    LasCrs? Crs,
    LasZipInfo? LasZip);

/// <summary>A LAS format version.</summary>
public readonly record struct LasVersion(byte Major, byte Minor)
{
    /// <summary>"1.2", "1.4".</summary>
    public override string ToString() => $"{Major}.{Minor}";
}

/// <summary>Three values along x, y and z (scale factors, offsets, a corner of the bounds).</summary>
public readonly record struct LasXyz(double X, double Y, double Z);

/// <summary>An axis-aligned box: the extent of the points.</summary>
public readonly record struct LasBounds(LasXyz Min, LasXyz Max)
{
    /// <summary>The middle of the box.</summary>
    public LasXyz Centre => new((Min.X + Max.X) / 2, (Min.Y + Max.Y) / 2, (Min.Z + Max.Z) / 2);
}

/// <summary>One variable-length record (or, with <paramref name="IsExtended"/>, a LAS 1.4 extended one): its header only.</summary>
/// <param name="UserId">Who defines the record, e.g. "LASF_Projection", "laszip encoded".</param>
/// <param name="RecordId">Which record of that user, e.g. 34735 for the GeoTIFF key directory.</param>
/// <param name="Description">The free-text description, NUL padding removed.</param>
/// <param name="Length">The payload length in bytes, after the record's header.</param>
/// <param name="IsExtended">True for an extended VLR (after the points, 64-bit length).</param>
public sealed record LasVariableLengthRecord(string UserId, ushort RecordId, string Description, ulong Length, bool IsExtended);

/// <summary>What the LASzip VLR (user "laszip encoded", record 22204) says about the compression.</summary>
/// <param name="VersionMajor">The LASzip version that compressed the file, e.g. 3.</param>
/// <param name="VersionMinor">E.g. 4.</param>
/// <param name="Revision">E.g. 3.</param>
/// <param name="Compressor">0 none, 1 point-wise, 2 point-wise chunked, 3 layered chunked (LAS 1.4 formats).</param>
/// <param name="ChunkSize">Points per chunk; uint.MaxValue for variable-sized chunks.</param>
/// <remarks>The numbers are 0 when the VLR's payload is too short to hold them.</remarks>
public sealed record LasZipInfo(byte VersionMajor, byte VersionMinor, ushort Revision, ushort Compressor, uint ChunkSize)
{
    /// <summary>"3.4r3".</summary>
    public string Version => $"{VersionMajor}.{VersionMinor}r{Revision}";
}

/// <summary>The outcome of reading a LAS header: the header, or a human-readable reason why there is none.</summary>
public sealed record LasHeaderResult(LasHeader? Header, string? Error)
{
    [MemberNotNullWhen(true, nameof(Header))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Header is not null;

    internal static LasHeaderResult Failed(string error) => new(null, error);
}
