namespace Scanport.Http;

/// <summary>
/// A failure in surface-neutral terms. Each surface's <see cref="IErrorShape"/> renders it as its own
/// document's error envelope.
/// </summary>
public sealed record ApiError(int Status, string Message, IReadOnlyDictionary<string, string[]>? Details = null, string? Code = null)
{
    /// <summary>
    /// The error names its problem type (RFC 9457's <c>type</c>, the status's RFC 9110 section) as the platform API's
    /// handlers always have; the framework's rejections name none. Shapes without a type ignore it.
    /// </summary>
    public bool Typed { get; init; }

    /// <summary>A 401 because the bearer token had expired (the JWT handler said so): a shape with a code of its own for that uses it.</summary>
    public bool TokenExpired { get; init; }

    public static ApiError Validation(IReadOnlyDictionary<string, string[]> details, string message = "Validation failed") =>
        new(StatusCodes.Status400BadRequest, message, details, "validation_failed");

    public static ApiError Field(string field, string reason, string message = "Validation failed") =>
        Validation(new Dictionary<string, string[]> { [field] = [reason] }, message);

    public static ApiError NotFound(string message) => new(StatusCodes.Status404NotFound, message, Code: "not_found");

    public static ApiError Conflict(string message, string code = "conflict") => new(StatusCodes.Status409Conflict, message, Code: code);

    public static ApiError Forbidden(string message) => new(StatusCodes.Status403Forbidden, message, Code: "forbidden");

    /// <summary>What the framework says when it rejects a request before a handler runs.</summary>
    public static ApiError ForStatus(int status) => status switch
    {
        400 => new(400, "Bad request", Code: "bad_request"),
        401 => new(401, "Authentication required: send a valid bearer token", Code: "unauthorized"),
        403 => new(403, "You are not allowed to do this", Code: "forbidden"),
        404 => new(404, "Not found", Code: "not_found"),
        405 => new(405, "Method not allowed", Code: "method_not_allowed"),
        408 => new(408, "Request timed out", Code: "request_timeout"),
        413 => new(413, "Request body too large", Code: "payload_too_large"),
        415 => new(415, "Unsupported media type: send application/json", Code: "unsupported_media_type"),
        429 => new(429, "Too many requests, slow down", Code: "rate_limited"),
        503 => new(503, "Scanport is briefly unavailable (its database or object store cannot be reached): try again in a few seconds", Code: "unavailable"),
        >= 500 => new(status, "Internal server error", Code: "internal_error"),
        _ => new(status, "Request failed", Code: "error"),
    };
}

/// <summary>How one surface writes errors: its document's envelope, field names and codes.</summary>
public interface IErrorShape
{
    /// <summary>The body for an error: an object written as JSON, or the text of a shape that is not JSON.</summary>
    object Render(ApiError error, ErrorContext context);

    /// <summary>The status sent for an error: the error's own, unless the surface's document answers it with another (FastAPI: validation is 422).</summary>
    int StatusOf(ApiError error) => error.Status;

    /// <summary>The media type of the rendered body.</summary>
    string ContentType => "application/json; charset=utf-8";

    /// <summary>The media type of one error's body, where a shape's errors differ (typed problems are sent without a charset).</summary>
    string ContentTypeOf(ApiError error) => ContentType;

    /// <summary>The type of the body an error with this status is rendered as, described in the OpenAPI documents; null: none.</summary>
    Type? BodyTypeOf(int status) => null;
}

/// <summary>
/// What an error body may carry besides the error: the request id (also sent as <c>X-Request-Id</c>), the path asked
/// for and the time of the answer. A shape uses what its document shows and ignores the rest.
/// </summary>
public readonly record struct ErrorContext(string RequestId, string Path, DateTimeOffset Time)
{
    public static ErrorContext Of(HttpContext context) => new(
        context.TraceIdentifier,
        context.Request.PathBase.Add(context.Request.Path).Value ?? "/",
        context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
}
