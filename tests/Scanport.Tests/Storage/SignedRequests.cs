using System.Globalization;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>Requests signed by hand with SigV4, for what no SDK would send (a body other than the one signed, a cut-off upload).</summary>
internal static class SignedRequests
{
    public const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-security-token";

    /// <summary>The headers of a PUT of <paramref name="key"/> whose payload hash is <paramref name="payloadHash"/>, Authorization included.</summary>
    public static (string Path, string Host, List<(string Name, string Value)> Headers) Put(S3Credentials c, string key, string payloadHash) =>
        For(c, "PUT", key, "", payloadHash);

    /// <summary>
    /// The path (with <paramref name="query"/>) and headers of any request on <paramref name="key"/> of the credentials' bucket
    /// (the bucket itself when the key is empty), Authorization included.
    /// </summary>
    public static (string Path, string Host, List<(string Name, string Value)> Headers) For(
        S3Credentials c, string method, string key, string query, string payloadHash)
    {
        var endpoint = new Uri(c.Endpoint);
        var amzDate = TimeProvider.System.GetUtcNow().UtcDateTime.ToString(SigV4.TimeFormat, CultureInfo.InvariantCulture);
        var host = $"{endpoint.Host}:{endpoint.Port}";
        var path = key.Length == 0 ? $"/{c.Bucket}" : $"/{c.Bucket}/{SigV4.UriEncode(key, keepSlash: true)}";
        var headers = new List<(string, string)> { ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate), ("x-amz-security-token", c.SessionToken) };
        var scope = $"{amzDate[..8]}/{c.Region}/s3/aws4_request";
        var canonical = SigV4.CanonicalRequest(method, path, SigV4.CanonicalQuery(query), [("host", host), .. headers], SignedHeaders, payloadHash);
        var signature = SigV4.Sign(SigV4.SigningKey(c.Secret, amzDate[..8], c.Region, "s3"), SigV4.StringToSign(amzDate, scope, canonical));
        headers.Add(("Authorization", $"{SigV4.Algorithm} Credential={c.AccessKeyId}/{scope}, SignedHeaders={SignedHeaders}, Signature={signature}"));
        return (query.Length == 0 ? path : path + "?" + query, host, headers);
    }

    /// <summary>A signed request with an unsigned payload, ready for HttpClient.</summary>
    public static HttpRequestMessage Message(S3Credentials c, HttpMethod method, string key, string query = "", byte[]? body = null)
    {
        var (path, _, headers) = For(c, method.Method, key, query, SigV4.UnsignedPayload);
        var request = new HttpRequestMessage(method, new Uri(new Uri(c.Endpoint), path));
        if (body is not null) request.Content = new ByteArrayContent(body);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>The S3 error code of an XML error body, or "" when there is none.</summary>
    public static string ErrorCode(string xml)
    {
        var start = xml.IndexOf("<Code>", StringComparison.Ordinal);
        return start < 0 ? "" : xml[(start + "<Code>".Length)..xml.IndexOf("</Code>", start, StringComparison.Ordinal)];
    }
}
