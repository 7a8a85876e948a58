using System.Globalization;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>Requests signed by hand with SigV4, for what no SDK would send (a body other than the one signed, a cut-off upload).</summary>
internal static class SignedRequests
{
    public const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-security-token";

    /// <summary>The headers of a PUT of <paramref name="key"/> whose payload hash is <paramref name="payloadHash"/>, Authorization included.</summary>
    public static (string Path, string Host, List<(string Name, string Value)> Headers) Put(S3Credentials c, string key, string payloadHash)
    {
        var endpoint = new Uri(c.Endpoint);
        var amzDate = TimeProvider.System.GetUtcNow().UtcDateTime.ToString(SigV4.TimeFormat, CultureInfo.InvariantCulture);
        var host = $"{endpoint.Host}:{endpoint.Port}";
        var path = $"/{c.Bucket}/{SigV4.UriEncode(key, keepSlash: true)}";
        var headers = new List<(string, string)> { ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate), ("x-amz-security-token", c.SessionToken) };
        var scope = $"{amzDate[..8]}/{c.Region}/s3/aws4_request";
        var canonical = SigV4.CanonicalRequest("PUT", path, "", [("host", host), .. headers], SignedHeaders, payloadHash);
        var signature = SigV4.Sign(SigV4.SigningKey(c.Secret, amzDate[..8], c.Region, "s3"), SigV4.StringToSign(amzDate, scope, canonical));
        headers.Add(("Authorization", $"{SigV4.Algorithm} Credential={c.AccessKeyId}/{scope}, SignedHeaders={SignedHeaders}, Signature={signature}"));
        return (path, host, headers);
    }
}
