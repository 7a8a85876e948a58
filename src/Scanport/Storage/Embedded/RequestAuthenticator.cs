using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Scanport.Storage.Embedded;

/// <summary>A request whose signature checked out: who sent it, and how its body is to be verified.</summary>
internal sealed record AuthenticatedRequest(
    S3Principal Principal, string PayloadHash, string AmzDate, string Scope, byte[] SigningKey, string Signature, bool Presigned);

/// <summary>
/// Verifies AWS Signature Version 4 on an incoming S3 request, by the Authorization header or by presigned
/// query parameters, recomputing the canonical request from what actually arrived.
/// </summary>
internal sealed class RequestAuthenticator(CredentialAuthority authority, TimeProvider clock, TimeSpan maxSkew)
{
    public const int MaxPresignSeconds = 7 * 24 * 3600;

    public (AuthenticatedRequest? Request, S3Error? Error) Authenticate(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
            return FromHeader(request, header, "s3", null);
        if (request.Query.ContainsKey("X-Amz-Signature"))
            return FromQuery(request);
        if (header is not null && header.StartsWith("AWS ", StringComparison.Ordinal))
            return (null, S3Error.InvalidArgument("Signature Version 2 is not supported; use AWS Signature Version 4."));
        return (null, S3Error.AccessDenied("Anonymous access is not allowed: sign the request with AWS Signature Version 4."));
    }

    /// <summary>An STS request (service <c>sts</c>): its payload hash is the hash of the form body the caller already read.</summary>
    public (AuthenticatedRequest? Request, S3Error? Error) AuthenticateSts(HttpRequest request, string bodySha256)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal)
            ? FromHeader(request, header, "sts", bodySha256)
            : (null, S3Error.AccessDenied("STS requests must be signed with AWS Signature Version 4."));
    }

    private (AuthenticatedRequest?, S3Error?) FromHeader(HttpRequest request, string header, string service, string? bodySha256)
    {
        var fields = header[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
            return (null, S3Error.AuthorizationHeaderMalformed("The authorization header is malformed: Credential, SignedHeaders and Signature are required."));
        string? amzDate = request.Headers["x-amz-date"];
        if (amzDate is null) return (null, S3Error.AccessDenied("AWS authentication requires a valid x-amz-date header."));
        var payloadHash = bodySha256 ?? request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash.Length == 0) return (null, S3Error.InvalidArgument("x-amz-content-sha256 is required with Signature Version 4."));
        if (!TryParseTime(amzDate, out var time)) return (null, S3Error.AccessDenied("x-amz-date is not a valid ISO 8601 basic time."));
        if ((clock.GetUtcNow() - time).Duration() > maxSkew) return (null, S3Error.RequestTimeTooSkewed);
        return Verify(request, credential, signedHeaders, signature, amzDate, payloadHash, request.Headers["x-amz-security-token"], presigned: false, service);
    }

    private (AuthenticatedRequest?, S3Error?) FromQuery(HttpRequest request)
    {
        var q = request.Query;
        if (q["X-Amz-Algorithm"] != SigV4.Algorithm)
            return (null, S3Error.InvalidArgument("X-Amz-Algorithm must be AWS4-HMAC-SHA256."));
        string credential = q["X-Amz-Credential"].ToString(), amzDate = q["X-Amz-Date"].ToString(),
            signedHeaders = q["X-Amz-SignedHeaders"].ToString(), signature = q["X-Amz-Signature"].ToString();
        if (credential.Length == 0 || amzDate.Length == 0 || signedHeaders.Length == 0 || signature.Length == 0
            || !int.TryParse(q["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return (null, S3Error.InvalidArgument("Presigned URLs need X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature."));
        if (expires is < 1 or > MaxPresignSeconds)
            return (null, S3Error.InvalidArgument("X-Amz-Expires must be between 1 and 604800 seconds."));
        if (!TryParseTime(amzDate, out var time)) return (null, S3Error.AccessDenied("X-Amz-Date is not a valid ISO 8601 basic time."));
        var now = clock.GetUtcNow();
        if (time - now > maxSkew) return (null, S3Error.RequestTimeTooSkewed);
        if (now > time.AddSeconds(expires)) return (null, S3Error.AccessDenied("Request has expired"));
        return Verify(request, credential, signedHeaders, signature, amzDate, SigV4.UnsignedPayload, q["X-Amz-Security-Token"], presigned: true, "s3");
    }

    private (AuthenticatedRequest?, S3Error?) Verify(HttpRequest request, string credential, string signedHeaders, string signature,
        string amzDate, string payloadHash, string? sessionToken, bool presigned, string service)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[3] != service || parts[4] != "aws4_request" || parts[1] != amzDate[..Math.Min(8, amzDate.Length)])
            return (null, S3Error.AuthorizationHeaderMalformed($"The credential scope must be <key>/<yyyymmdd>/<region>/{service}/aws4_request for the request's date."));
        var (principal, problem) = authority.Resolve(parts[0], string.IsNullOrEmpty(sessionToken) ? null : sessionToken);
        if (principal is null)
            return (null, problem switch
            {
                CredentialProblem.InvalidToken => S3Error.InvalidToken,
                CredentialProblem.ExpiredToken => S3Error.ExpiredToken,
                _ => S3Error.InvalidAccessKeyId,
            });

        var names = signedHeaders.Split(';');
        if (!names.Contains("host")) return (null, S3Error.AccessDenied("The host header must be signed."));
        var headers = new List<(string, string)>(names.Length);
        foreach (var name in names)
        {
            var values = name == "host" ? request.Host.Value ?? "" : string.Join(',', request.Headers[name].Select(v => SigV4.CanonicalHeaderValue(v ?? "")));
            headers.Add((name, SigV4.CanonicalHeaderValue(values)));
        }
        var (path, query) = RawTarget(request);
        var canonical = SigV4.CanonicalRequest(request.Method, SigV4.UriEncode(SigV4.PercentDecode(path), keepSlash: true),
            SigV4.CanonicalQuery(query, presigned ? "X-Amz-Signature" : null), headers, signedHeaders, payloadHash);
        var scope = $"{parts[1]}/{parts[2]}/{service}/aws4_request";
        var key = SigV4.SigningKey(principal.Secret, parts[1], parts[2], service);
        var expected = SigV4.Sign(key, SigV4.StringToSign(amzDate, scope, canonical));
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
            return (null, S3Error.SignatureDoesNotMatch);
        return (new AuthenticatedRequest(principal, payloadHash, amzDate, scope, key, expected, presigned), null);
    }

    /// <summary>The path and query exactly as the client sent them (the decoded path would lose what was signed).</summary>
    private static (string Path, string Query) RawTarget(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var q = raw.IndexOf('?');
        return q < 0 ? (raw, "") : (raw[..q], raw[(q + 1)..]);
    }

    private static bool TryParseTime(string amzDate, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(amzDate, SigV4.TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
