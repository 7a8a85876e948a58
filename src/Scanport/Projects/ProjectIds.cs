using System.Buffers.Binary;
using System.Globalization;

namespace Scanport.Projects;

/// <summary>
/// Presents a project's number as a 24-hex MongoDB-style ObjectId and back: four bytes of the creation
/// time in seconds (so ids sort by age, as ObjectIds do) followed by the eight-byte project number.
/// </summary>
public static class ProjectIds
{
    public static string ToObjectId(long number, DateTimeOffset createdAt)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)createdAt.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(bytes[4..], number);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The project number inside an ObjectId, or null when the text is not one of ours.</summary>
    public static long? NumberFromObjectId(string? objectId)
    {
        if (objectId is not { Length: 24 }) return null;
        if (!long.TryParse(objectId.AsSpan(8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n)) return null;
        if (!uint.TryParse(objectId.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)) return null;
        return n > 0 ? n : null;
    }
}
