using System.Text.Json.Serialization;
using Scanport.Http;
using Scanport.Surfaces.Aps.Authentication;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>How APS's Webhooks service says no: <c>{"id", "status", "code", "detail": [...]}</c>, the id being the request's.</summary>
public sealed record WebhooksError(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("detail")] IReadOnlyList<string> Detail);

/// <summary>
/// The Webhooks service's error body for everything its handlers and the framework refuse. A missing or bad token (401) and
/// a missing scope (403) are answered by the APS gateway's shape instead (<c>ApsBearer</c>), as at APS.
/// </summary>
public sealed class WebhooksErrorShape : IErrorShape
{
    public static readonly WebhooksErrorShape Instance = new();

    public object Render(ApiError error, ErrorContext context) => new WebhooksError(context.RequestId, error.Status, error.Status switch
    {
        StatusCodes.Status400BadRequest => "BAD_INPUT",
        StatusCodes.Status401Unauthorized => "AUTH-001",
        StatusCodes.Status403Forbidden => "FORBIDDEN",
        StatusCodes.Status404NotFound => "NOT_FOUND",
        StatusCodes.Status409Conflict => "CONFLICT_ERROR",
        StatusCodes.Status413PayloadTooLarge => "PAYLOAD_TOO_LARGE",
        StatusCodes.Status415UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
        StatusCodes.Status429TooManyRequests => "TOO_MANY_REQUESTS",
        >= 500 => "INTERNAL_SERVER_ERROR",
        _ => "ERROR",
    }, Details(error));

    private static string[] Details(ApiError error) => error.Details is { Count: > 0 } details
        ? [.. details.SelectMany(d => d.Value.Select(reason => d.Key == "body" ? $"{error.Message}: body {reason}" : $"{d.Key} {reason}"))]
        : [error.Message];

    /// <summary>A 401 comes from the gateway (<c>ApsBearer</c>) in APS's shape, as does a 403 for a missing scope; the rest in the service's.</summary>
    public Type? BodyTypeOf(int status) => status == StatusCodes.Status401Unauthorized ? typeof(ApsError) : typeof(WebhooksError);

    /// <summary>A 400 naming the field at fault.</summary>
    public static ApiError BadInput(string message) => new(StatusCodes.Status400BadRequest, message, Code: "BAD_INPUT");
}
