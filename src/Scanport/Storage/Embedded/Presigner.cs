using System.Globalization;

namespace Scanport.Storage.Embedded;

/// <summary>Builds SigV4 presigned URLs (query authentication) for the embedded endpoint.</summary>
internal static class Presigner
{
    public static Uri Presign(Uri endpoint, string method, string bucket, string key, TimeSpan lifetime,
        IReadOnlyDictionary<string, string> signedHeaders, string accessKeyId, string secret, string region, DateTimeOffset now,
        IEnumerable<(string Name, string Value)>? parameters = null)
    {
        var amzDate = now.UtcDateTime.ToString(SigV4.TimeFormat, CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/s3/aws4_request";
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        var headers = signedHeaders.Select(h => (Name: h.Key.ToLowerInvariant(), Value: SigV4.CanonicalHeaderValue(h.Value)))
            .Append(("host", host)).OrderBy(h => h.Item1, StringComparer.Ordinal).ToList();
        var signedNames = string.Join(';', headers.Select(h => h.Item1));
        var path = endpoint.AbsolutePath.TrimEnd('/') + "/" + SigV4.UriEncode(bucket, false) + "/" + SigV4.UriEncode(key, keepSlash: true);
        var query = string.Join('&', new[]
        {
            ("X-Amz-Algorithm", SigV4.Algorithm),
            ("X-Amz-Credential", $"{accessKeyId}/{scope}"),
            ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", ((int)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            ("X-Amz-SignedHeaders", signedNames),
        }.Concat(parameters ?? []).Select(p => $"{SigV4.UriEncode(p.Item1, false)}={SigV4.UriEncode(p.Item2, false)}"));
        var canonical = SigV4.CanonicalRequest(method, path, SigV4.CanonicalQuery(query), headers, signedNames, SigV4.UnsignedPayload);
        var signature = SigV4.Sign(SigV4.SigningKey(secret, date, region, "s3"), SigV4.StringToSign(amzDate, scope, canonical));
        return new Uri($"{endpoint.Scheme}://{host}{path}?{query}&X-Amz-Signature={signature}");
    }
}
