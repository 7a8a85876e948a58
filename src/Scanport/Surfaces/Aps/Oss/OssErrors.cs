using System.Text.Json.Serialization;
using Scanport.Http;
using Scanport.Surfaces.Aps.Authentication;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>How OSS says no: <c>{"reason": "..."}</c> (the OpenAPI file's <c>reason</c> schema).</summary>
public sealed record OssReason([property: JsonPropertyName("reason")] string Reason);

/// <summary>
/// OSS's error body: APS's gateway answers a missing or bad token (401) with its own <c>developerMessage</c>/<c>errorCode</c>
/// body (the scheme writes that, and a missing scope's 403, itself); OSS answers everything else with a <c>reason</c>.
/// </summary>
public sealed class OssErrorShape : IErrorShape
{
    public static readonly OssErrorShape Instance = new();

    public object Render(ApiError error, ErrorContext context) => error.Status == StatusCodes.Status401Unauthorized
        ? ApsErrorShape.Instance.Render(error, context)
        : new OssReason(error.Details is { Count: > 0 } details
            ? $"{error.Message}: {string.Join("; ", details.Select(d => $"{d.Key} {string.Join(", ", d.Value)}"))}"
            : error.Message);

    public Type? BodyTypeOf(int status) => status == StatusCodes.Status401Unauthorized ? typeof(ApsError) : typeof(OssReason);
}

/// <summary>The refusals the OSS endpoints give, in words close to APS's.</summary>
internal static class OssErrors
{
    public static ErrorResult BadRequest(string reason) => new(new ApiError(StatusCodes.Status400BadRequest, reason, Code: "bad_request"));

    public static ErrorResult BucketNotFound => new(ApiError.NotFound("Bucket not found"));

    public static ErrorResult ObjectNotFound => new(ApiError.NotFound("Object not found"));

    public static ErrorResult ReadOnly => new(ApiError.Forbidden("This principal may read this organization's buckets and objects, not change them"));

    public static ErrorResult NoRead => new(ApiError.Forbidden("This principal may not use OSS"));
}
