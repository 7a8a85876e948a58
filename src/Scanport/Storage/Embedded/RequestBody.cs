using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Scanport.Storage.Embedded;

/// <summary>An S3 request's body, decoded and verified as it is read, as its signature and headers declared it.</summary>
internal static class RequestBody
{
    /// <summary>The largest XML body read (DeleteObjects, CompleteMultipartUpload): 10,000 parts, each with a checksum, take about 1.5 MB.</summary>
    private const int MaxXmlBody = 2 * 1024 * 1024;

    /// <summary>The decoded, verifying body stream for how the payload was signed and the checksums the request declared.</summary>
    public static (Stream? Body, S3Error? Error) Open(HttpContext context, AuthenticatedRequest auth)
    {
        var request = context.Request;
        var declared = request.Headers["x-amz-content-sha256"].ToString();
        Stream body = request.Body;
        string? signedSha256 = null;
        var mode = auth.Presigned ? (declared.Length == 64 ? declared : SigV4.UnsignedPayload) : auth.PayloadHash;
        var streamed = mode is SigV4.StreamingPayload or SigV4.StreamingPayloadTrailer or SigV4.StreamingUnsignedTrailer;
        // Content-Length counts the chunk framing: the decoded length is what the object's size must be.
        long decodedLength = 0;
        if (streamed && !long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out decodedLength))
            return (null, S3Error.MissingContentLength);
        switch (mode)
        {
            case SigV4.UnsignedPayload:
                break;
            case SigV4.StreamingPayload:
                body = new AwsChunkedStream(body, auth, decodedLength, signedChunks: true, trailer: false);
                break;
            case SigV4.StreamingPayloadTrailer:
                body = new AwsChunkedStream(body, auth, decodedLength, signedChunks: true, trailer: true, DeclaredTrailers(request));
                break;
            case SigV4.StreamingUnsignedTrailer:
                body = new AwsChunkedStream(body, auth, decodedLength, signedChunks: false, trailer: true, DeclaredTrailers(request));
                break;
            case { Length: 64 } hex when hex.All(char.IsAsciiHexDigit):
                signedSha256 = hex;
                break;
            default:
                return (null, S3Error.InvalidArgument($"Unsupported x-amz-content-sha256 value '{mode}'."));
        }
        var checksums = request.Headers.Where(h => h.Key.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (h.Key.ToLowerInvariant(), h.Value.ToString())).ToList();
        if (signedSha256 is not null || checksums.Count > 0) body = new CheckedBodyStream(body, signedSha256, checksums);
        return (body, null);
    }

    /// <summary>The trailing headers <c>x-amz-trailer</c> announces; null when it is absent.</summary>
    private static string[]? DeclaredTrailers(HttpRequest request) =>
        request.Headers.TryGetValue("x-amz-trailer", out var names)
            ? names.SelectMany(n => (n ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : null;

    public static Func<byte[], S3Error?>? ContentMd5Check(HttpContext context)
    {
        var expected = context.Request.Headers[HeaderNames.ContentMD5].ToString();
        if (expected.Length == 0) return null;
        return md5 => Convert.ToBase64String(md5) == expected ? null : S3Error.BadDigest;
    }

    public static async Task<(string? Xml, S3Error? Error)> ReadXmlAsync(HttpContext context, AuthenticatedRequest auth)
    {
        // A body declared too large is refused unread.
        var declared = long.TryParse(context.Request.Headers["x-amz-decoded-content-length"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var decoded) ? decoded : context.Request.ContentLength;
        if (declared > MaxXmlBody) return (null, S3Error.MalformedXml);
        var (body, error) = Open(context, auth);
        if (error is not null) return (null, error);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body!.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + n > MaxXmlBody) return (null, S3Error.MalformedXml);
            buffer.Write(chunk, 0, n);
        }
        return (Encoding.UTF8.GetString(buffer.ToArray()), null);
    }
}
