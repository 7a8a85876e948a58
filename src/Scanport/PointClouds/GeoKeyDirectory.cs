using System.Buffers.Binary;

namespace Scanport.PointClouds;

/// <summary>
/// Reads the GeoTIFF GeoKeyDirectoryTag that LAS stores as a VLR: four ushorts of header (version 1, revision,
/// minor revision, key count), then four ushorts per key (id, location, count, value or index). A key whose location
/// is 0 holds its value inline; 34736 points into the GeoDoubleParams record, 34737 into GeoAsciiParams.
/// </summary>
internal static class GeoKeyDirectory
{
    public const ushort RecordId = 34735;
    public const ushort DoubleParamsRecordId = 34736;
    public const ushort AsciiParamsRecordId = 34737;

    private const ushort Citation = 1026, GeographicCitation = 2049, ProjectedCitation = 3073;
    private const ushort GeographicType = 2048, ProjectedCsType = 3072, ProjLinearUnits = 3076, ProjLinearUnitSize = 3077;
    private const ushort VerticalCsType = 4096;
    private const int UserDefined = 32767;

    /// <summary>The CRS the keys name; null when the directory is malformed or names nothing we read.</summary>
    public static LasCrs? Parse(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> doubles, ReadOnlySpan<byte> ascii)
    {
        if (directory.Length < 8) return null;
        var declared = U16(directory, 3);
        var keyCount = Math.Min(declared, (directory.Length / 2 - 4) / 4);

        int? projected = null, geographic = null, vertical = null, unitCode = null;
        double? unitSize = null;
        string? projectedCitation = null, geographicCitation = null, citation = null;
        for (var i = 0; i < keyCount; i++)
        {
            var at = 4 + i * 4;
            var (id, location, count, value) = (U16(directory, at), U16(directory, at + 1), U16(directory, at + 2), U16(directory, at + 3));
            switch (id)
            {
                case ProjectedCsType when location == 0: projected = Code(value); break;
                case GeographicType when location == 0: geographic = Code(value); break;
                case VerticalCsType when location == 0: vertical = Code(value); break;
                case ProjLinearUnits when location == 0: unitCode = value; break;
                case ProjLinearUnitSize when location == DoubleParamsRecordId: unitSize = Double(doubles, value); break;
                case ProjectedCitation when location == AsciiParamsRecordId: projectedCitation = Text(ascii, value, count); break;
                case GeographicCitation when location == AsciiParamsRecordId: geographicCitation = Text(ascii, value, count); break;
                case Citation when location == AsciiParamsRecordId: citation = Text(ascii, value, count); break;
            }
        }

        var (unitName, metres) = unitCode switch
        {
            null => ((string?)null, (double?)null),
            UserDefined => ("user-defined", unitSize),
            int code => LasCrs.EpsgUnit(code),
        };
        var name = projectedCitation ?? citation ?? geographicCitation;
        if (projected is null && geographic is null && vertical is null && unitName is null && name is null) return null;
        return new LasCrs(projected, geographic, vertical, unitName, metres, name, null);
    }

    private static ushort U16(ReadOnlySpan<byte> data, int index) => BinaryPrimitives.ReadUInt16LittleEndian(data[(index * 2)..]);

    private static int? Code(ushort value) => value is 0 or UserDefined ? null : value;

    private static double? Double(ReadOnlySpan<byte> doubles, int index) =>
        (index + 1) * 8 <= doubles.Length ? BinaryPrimitives.ReadDoubleLittleEndian(doubles[(index * 8)..]) : null;

    private static string? Text(ReadOnlySpan<byte> ascii, int offset, int count)
    {
        if (offset >= ascii.Length) return null;
        var text = LasText.Decode(ascii.Slice(offset, Math.Min(count, ascii.Length - offset))).TrimEnd('|').Trim();
        return text.Length == 0 ? null : text;
    }
}
