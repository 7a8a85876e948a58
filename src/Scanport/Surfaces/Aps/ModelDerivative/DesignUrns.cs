using Scanport.ApsCloud;
using Scanport.Surfaces.Aps.Oss;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>A source design named by a URN: its OSS object id, bucket and key.</summary>
public sealed record DesignSource(string ObjectId, string BucketKey, string ObjectKey)
{
    /// <summary>The design's URN in APS's own spelling (base64url, no padding).</summary>
    public string CanonicalUrn => ApsUrns.Encode(ObjectId);

    /// <summary>The object key's last part: the file's name.</summary>
    public string FileName => ObjectKey[(ObjectKey.LastIndexOf('/') + 1)..];
}

/// <summary>
/// Model Derivative's URNs: a source design's (base64 of its OSS object id, in either alphabet, with or without padding,
/// and <c>%2F</c> left in a path segment) and a derivative's (<c>urn:adsk.viewing:fs.file:{urn}/output/{file}</c>).
/// </summary>
public static class DesignUrns
{
    public const string DerivativePrefix = "urn:adsk.viewing:fs.file:";
    private const string Output = "/output/";

    /// <summary>The design a URN names; null when it is not the URN of an OSS object.</summary>
    public static DesignSource? Read(string? urn)
    {
        if (urn is null) return null;
        var objectId = ApsUrns.Decode(Unescape(urn));
        return ApsUrns.Parse(objectId) is { } keys ? new DesignSource(objectId!, keys.BucketKey, keys.ObjectKey) : null;
    }

    public static string Derivative(DesignSource source, string file) => $"{DerivativePrefix}{source.CanonicalUrn}{Output}{file}";

    /// <summary>The file a derivative URN names, when it names one of <paramref name="source"/>'s.</summary>
    public static string? FileOf(string derivativeUrn, DesignSource source)
    {
        var urn = Unescape(derivativeUrn);
        if (!urn.StartsWith(DerivativePrefix, StringComparison.Ordinal)) return null;
        var output = urn.LastIndexOf(Output, StringComparison.Ordinal);
        if (output < DerivativePrefix.Length) return null;
        var named = Read(urn[DerivativePrefix.Length..output]);
        var file = urn[(output + Output.Length)..];
        return named?.ObjectId == source.ObjectId && DerivativeFiles.IsDownloadable(file) ? file : null;
    }

    /// <summary>Kestrel leaves <c>%2F</c> escaped in a path segment (a standard-alphabet URN, a derivative URN).</summary>
    private static string Unescape(string value) => value.Contains('%') ? value.Replace("%2F", "/").Replace("%2f", "/") : value;
}
