using System.Buffers.Binary;

namespace Scanport.PointClouds;

/// <summary>
/// The fixed layout of the public header block (ASPRS LAS 1.0–1.4, little-endian): 227 bytes up to 1.2, 235 in 1.3
/// (start of waveform data), 375 in 1.4 (EVLRs, 64-bit point counts).
/// </summary>
internal static class LasPublicHeader
{
    public const int MinimumSize = 227;
    public const int Las13Size = 235;
    public const int Las14Size = 375;
    public static ReadOnlySpan<byte> Signature => "LASF"u8;

    /// <summary>The header size a version requires, or null for a version this reader does not know.</summary>
    public static int? RequiredSize(LasVersion version) => version switch
    {
        { Major: 1, Minor: <= 2 } => MinimumSize,
        { Major: 1, Minor: 3 } => Las13Size,
        { Major: 1, Minor: 4 } => Las14Size,
        _ => null,
    };

    public static LasVersion Version(ReadOnlySpan<byte> block) => new(block[24], block[25]);

    public static ushort HeaderSize(ReadOnlySpan<byte> block) => BinaryPrimitives.ReadUInt16LittleEndian(block[94..]);

    public static uint VlrCount(ReadOnlySpan<byte> block) => BinaryPrimitives.ReadUInt32LittleEndian(block[100..]);

    /// <summary>
    /// The header's own fields from the first <see cref="RequiredSize"/> bytes; VLRs, CRS and LASzip are filled in by
    /// the reader. <paramref name="block"/> holds at least the size the version requires.
    /// </summary>
    public static LasHeader Parse(ReadOnlySpan<byte> block)
    {
        var version = Version(block);
        var formatByte = block[104];
        var legacyCount = U32(block, 107);
        var byReturn = new List<ulong>(15);
        for (var i = 0; i < 5; i++) byReturn.Add(U32(block, 111 + i * 4));

        ulong? waveform = null, firstEvlr = null;
        uint? evlrCount = null;
        var pointCount = (ulong)legacyCount;
        if (version.Minor >= 3) waveform = U64(block, 227);
        if (version.Minor >= 4)
        {
            firstEvlr = U64(block, 235);
            evlrCount = U32(block, 243);
            var count64 = U64(block, 247);
            if (count64 != 0 || legacyCount == 0) pointCount = count64;
            byReturn.Clear();
            for (var i = 0; i < 15; i++) byReturn.Add(U64(block, 255 + i * 8));
        }

        return new LasHeader(
            Version: version,
            FileSourceId: U16(block, 4),
            GlobalEncoding: U16(block, 6),
            ProjectId: new Guid(block[8..24]),
            SystemIdentifier: LasText.Decode(block[26..58]),
            GeneratingSoftware: LasText.Decode(block[58..90]),
            CreationDate: CreationDate(U16(block, 90), U16(block, 92)),
            HeaderSize: HeaderSize(block),
            OffsetToPointData: U32(block, 96),
            PointDataFormat: (byte)(formatByte & 0x3F),
            IsCompressed: (formatByte & 0xC0) != 0,
            PointRecordLength: U16(block, 105),
            PointCount: pointCount,
            LegacyPointCount: legacyCount,
            PointsByReturn: byReturn,
            Scale: new LasXyz(F64(block, 131), F64(block, 139), F64(block, 147)),
            Offset: new LasXyz(F64(block, 155), F64(block, 163), F64(block, 171)),
            Bounds: new LasBounds(
                Min: new LasXyz(F64(block, 187), F64(block, 203), F64(block, 219)),
                Max: new LasXyz(F64(block, 179), F64(block, 195), F64(block, 211))),
            StartOfWaveformData: waveform,
            StartOfFirstEvlr: firstEvlr,
            EvlrCount: evlrCount,
            Vlrs: [],
            Evlrs: [],
            Crs: null,
            LasZip: null);
    }

    /// <summary>LAS counts days from 1 = January 1st; 0 (or a day the year lacks) means no date.</summary>
    private static DateOnly? CreationDate(ushort dayOfYear, ushort year)
    {
        if (year is < 1 or > 9999 || dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365)) return null;
        return new DateOnly(year, 1, 1).AddDays(dayOfYear - 1);
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
    private static double F64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadDoubleLittleEndian(b[at..]);
}
