using System.Net;
using System.Text.Json;

namespace Scanport.ApsCloud;

/// <summary>What went wrong with a call to an APS cloud, in the terms a surface maps to its own errors.</summary>
public enum ApsFailure
{
    /// <summary>The credentials, a token or a code were refused (401, 403, an OAuth error): the APS document's APS_AUTH_FAILED.</summary>
    AuthFailed,

    /// <summary>The cloud failed, timed out, kept throttling, or answered what is not its protocol: APS_API_ERROR (502).</summary>
    ApiError,

    /// <summary>The bucket, object, manifest or hook is not there (404).</summary>
    NotFound,

    /// <summary>It exists already and is not ours to reuse (409).</summary>
    Conflict,

    /// <summary>The cloud refused the request as invalid (400, 413, 415, 422 ...): the caller sent what APS will not take.</summary>
    BadRequest,
}

/// <summary>
/// The one exception the APS client throws: never a raw <see cref="HttpRequestException"/> or <see cref="JsonException"/>.
/// Carries the HTTP status (null when no answer came) and what APS said (<c>developerMessage</c>, <c>errorCode</c>,
/// <c>reason</c>, or OAuth's <c>error</c> / <c>error_description</c>).
/// </summary>
public sealed class ApsCloudException(ApsFailure kind, string message, HttpStatusCode? status = null, string? errorCode = null,
    string? reason = null, string? developerMessage = null, Exception? inner = null) : Exception(message, inner)
{
    public ApsFailure Kind { get; } = kind;
    public HttpStatusCode? Status { get; } = status;
    public string? ErrorCode { get; } = errorCode;
    public string? Reason { get; } = reason;
    public string? DeveloperMessage { get; } = developerMessage;

    /// <summary>The failure an error answer stands for; <paramref name="oauth"/>: a token request, where every 4xx is a refused grant.</summary>
    internal static async Task<ApsCloudException> FromResponseAsync(HttpResponseMessage response, string operation, bool oauth, CancellationToken ct)
    {
        var status = response.StatusCode;
        string? code = null, reason = null, developer = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length > 0 && text.Length < 64 * 1024 && text.TrimStart().StartsWith('{'))
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                developer = Text(root, "developerMessage") ?? Text(root, "error_description") ?? Text(root, "detail") ?? Text(root, "diagnostic")
                    ?? FirstError(root, "detail");
                code = Text(root, "errorCode") ?? Text(root, "error") ?? Text(root, "code") ?? FirstError(root, "code");
                reason = Text(root, "reason") ?? Text(root, "title");
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // The body is only an explanation; the status says what happened.
        }
        var kind = (int)status switch
        {
            401 or 403 => ApsFailure.AuthFailed,
            >= 400 and < 500 when oauth => ApsFailure.AuthFailed,
            404 => ApsFailure.NotFound,
            409 => ApsFailure.Conflict,
            400 or 405 or 411 or 412 or 413 or 415 or 416 or 422 => ApsFailure.BadRequest,
            _ => ApsFailure.ApiError,
        };
        var said = developer ?? reason ?? code;
        return new ApsCloudException(kind, $"{operation}: APS answered {(int)status}{(said is null ? "" : $" ({said})")}", status, code, reason, developer);
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? FirstError(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            && errors.GetArrayLength() > 0 ? Text(errors[0], name) : null;
}
