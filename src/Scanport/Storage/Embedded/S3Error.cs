using System.Security;
using Scanport.Http;

namespace Scanport.Storage.Embedded;

/// <summary>An S3 error response: the status and the code clients switch on.</summary>
internal sealed record S3Error(int Status, string Code, string Message)
{
    public static S3Error AccessDenied(string message = "Access Denied") => new(403, "AccessDenied", message);
    public static readonly S3Error SignatureDoesNotMatch = new(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    public static readonly S3Error InvalidAccessKeyId = new(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    public static readonly S3Error InvalidToken = new(400, "InvalidToken", "The provided token is malformed or otherwise invalid.");
    public static readonly S3Error ExpiredToken = new(400, "ExpiredToken", "The provided token has expired.");
    public static readonly S3Error RequestTimeTooSkewed = new(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
    public static readonly S3Error NoSuchKey = new(404, "NoSuchKey", "The specified key does not exist.");
    public static readonly S3Error NoSuchBucket = new(404, "NoSuchBucket", "The specified bucket does not exist.");
    public static readonly S3Error NoSuchUpload = new(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    public static readonly S3Error BadDigest = new(400, "BadDigest", "The Content-MD5 or checksum you specified did not match what we received.");
    public static readonly S3Error Sha256Mismatch = new(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    public static readonly S3Error EntityTooLarge = new(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
    public static readonly S3Error EntityTooSmall = new(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
    public static readonly S3Error IncompleteBody = new(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
    public static readonly S3Error MissingContentLength = new(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
    public static readonly S3Error MalformedTrailer = new(400, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.");
    public static readonly S3Error KeyTooLong = new(400, "KeyTooLongError", "Your key is too long.");
    public static readonly S3Error InvalidPart = new(400, "InvalidPart", "One or more of the specified parts could not be found or its entity tag did not match.");
    public static readonly S3Error InvalidPartOrder = new(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
    public static readonly S3Error MalformedXml = new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
    public static readonly S3Error InvalidRange = new(416, "InvalidRange", "The requested range is not satisfiable.");
    public static readonly S3Error PreconditionFailed = new(412, "PreconditionFailed", "At least one of the preconditions you specified did not hold.");
    public static readonly S3Error MethodNotAllowed = new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    public static S3Error InvalidArgument(string message) => new(400, "InvalidArgument", message);
    public static S3Error AuthorizationHeaderMalformed(string message) => new(400, "AuthorizationHeaderMalformed", message);
    public static S3Error NotImplemented(string what) => new(501, "NotImplemented", $"{what} is not implemented by this endpoint.");
}

/// <summary>Thrown from deep inside a streamed body (a chunk signature or digest that fails) to abandon the write.</summary>
internal sealed class S3Exception(S3Error error) : Exception(error.Message)
{
    public S3Error Error { get; } = error;
}

/// <summary>S3's XML error document, for everything under the embedded endpoint's buckets.</summary>
internal sealed class S3ErrorShape : IErrorShape
{
    public static readonly S3ErrorShape Instance = new();

    public object Render(ApiError error, ErrorContext context) => Xml(From(error), "", context.RequestId);

    public string ContentType => "application/xml";

    public static S3Error From(ApiError error) => error.Status switch
    {
        401 or 403 => S3Error.AccessDenied(),
        404 => S3Error.NoSuchKey,
        405 => S3Error.MethodNotAllowed,
        413 => S3Error.EntityTooLarge,
        >= 500 => new S3Error(500, "InternalError", "We encountered an internal error. Please try again."),
        _ => S3Error.InvalidArgument(error.Message),
    };

    public static string Xml(S3Error error, string resource, string requestId) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{error.Code}</Code><Message>{SecurityElement.Escape(error.Message)}</Message>" +
        $"<Resource>{SecurityElement.Escape(resource)}</Resource><RequestId>{SecurityElement.Escape(requestId)}</RequestId></Error>";

    public static async Task WriteAsync(HttpContext context, S3Error error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/xml";
        context.Response.Headers["x-amz-request-id"] = context.TraceIdentifier;
        if (HoldsBodyBack(context)) context.Response.Headers.Connection = "close";
        if (context.Request.Method == HttpMethods.Head) return;
        await context.Response.WriteAsync(Xml(error, context.Request.Path, context.TraceIdentifier), context.RequestAborted);
    }

    /// <summary>
    /// True when the client sent <c>Expect: 100-continue</c> and is still waiting to send its body: nothing has read
    /// it, so Kestrel never said to go on. Answered on a kept-alive connection, the server would then take the
    /// client's next request for the body it still owes (boto3 and aws-cli saw spurious 400s), so the answer
    /// closes the connection, as S3 does. A body the client sends unasked Kestrel drains itself, within its own
    /// short time limit, closing the connection when that is not enough.
    /// </summary>
    private static bool HoldsBodyBack(HttpContext context) =>
        HttpProtocol.IsHttp11(context.Request.Protocol) // HTTP/2 and 3 end a request's stream, not the connection
        && context.Request.Headers.Expect.Any(e => e?.Contains("100-continue", StringComparison.OrdinalIgnoreCase) == true)
        && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false };
}
