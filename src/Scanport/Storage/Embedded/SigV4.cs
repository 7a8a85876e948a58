using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scanport.Storage.Embedded;

/// <summary>
/// AWS Signature Version 4 for S3, the pieces both sides of a request compute: canonical request, string to
/// sign, signing key, and the encodings S3 uses. Pure functions, tested against AWS's published examples.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery,
        IEnumerable<(string Name, string Value)> headers, string signedHeaders, string payloadHash)
    {
        var sb = new StringBuilder();
        sb.Append(method).Append('\n').Append(canonicalUri).Append('\n').Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in headers) sb.Append(name).Append(':').Append(value).Append('\n');
        sb.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var kDate = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        var kRegion = Hmac(kDate, region);
        var kService = Hmac(kRegion, service);
        return Hmac(kService, "aws4_request");
    }

    public static string Sign(byte[] signingKey, string stringToSign) => Hex(Hmac(signingKey, stringToSign));

    /// <summary>The string each aws-chunked chunk signs, chained to the previous signature.</summary>
    public static string ChunkStringToSign(string amzDate, string scope, string previousSignature, string chunkSha256Hex) =>
        $"AWS4-HMAC-SHA256-PAYLOAD\n{amzDate}\n{scope}\n{previousSignature}\n{EmptySha256}\n{chunkSha256Hex}";

    public static string TrailerStringToSign(string amzDate, string scope, string previousSignature, string trailerSha256Hex) =>
        $"AWS4-HMAC-SHA256-TRAILER\n{amzDate}\n{scope}\n{previousSignature}\n{trailerSha256Hex}";

    /// <summary>S3's URI encoding: every byte but the unreserved characters, and '/' kept when encoding a path.</summary>
    public static string UriEncode(string value, bool keepSlash)
    {
        var sb = new StringBuilder(value.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
                sb.Append(c);
            else
                sb.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Decodes percent-escapes only ('+' stays '+', as in a path).</summary>
    public static string PercentDecode(string value) => Uri.UnescapeDataString(value);

    /// <summary>The canonical query string: every parameter but the signature, decoded, re-encoded strictly, sorted.</summary>
    public static string CanonicalQuery(string rawQuery, string? exclude = null)
    {
        if (string.IsNullOrEmpty(rawQuery)) return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = PercentDecode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : PercentDecode(part[(eq + 1)..]);
            if (key == exclude) continue;
            pairs.Add((UriEncode(key, false), UriEncode(value, false)));
        }
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key) is var k and not 0 ? k : string.CompareOrdinal(a.Value, b.Value));
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>Trims a header value and collapses runs of spaces, as the canonical headers require.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal)) return trimmed;
        var sb = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
            if (c != ' ' || sb.Length == 0 || sb[^1] != ' ') sb.Append(c);
        return sb.ToString();
    }

    public static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
