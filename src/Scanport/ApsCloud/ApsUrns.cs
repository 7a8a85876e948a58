using System.Buffers.Text;
using System.Text;

namespace Scanport.ApsCloud;

/// <summary>
/// APS's object ids (<c>urn:adsk.objects:os.object:{bucketKey}/{objectKey}</c>) and the URNs Model Derivative takes: the
/// id in base64url. URNs are read with or without padding and in either base64 alphabet, as clients send all four.
/// </summary>
public static class ApsUrns
{
    public const string Prefix = "urn:adsk.objects:os.object:";

    public static string ObjectId(string bucketKey, string objectKey) => $"{Prefix}{bucketKey}/{objectKey}";

    /// <summary>The URN of an object id: base64url without padding, as APS's samples make them.</summary>
    public static string Encode(string objectId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(objectId));

    /// <summary>The object id a URN names; null when it is not base64 of UTF-8 text.</summary>
    public static string? Decode(string? urn)
    {
        if (string.IsNullOrWhiteSpace(urn)) return null;
        var text = urn.Trim().TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (!Base64Url.IsValid(text)) return null;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(text));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The bucket and object keys of an OSS object id; null when it is not one.</summary>
    public static (string BucketKey, string ObjectKey)? Parse(string? objectId)
    {
        if (objectId is null || !objectId.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = objectId[Prefix.Length..];
        var slash = rest.IndexOf('/');
        return slash <= 0 || slash == rest.Length - 1 ? null : (rest[..slash], rest[(slash + 1)..]);
    }
}
