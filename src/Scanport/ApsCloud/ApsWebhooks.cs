using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanport.ApsCloud;

/// <summary>Webhooks v1 for Model Derivative's events: the secret token that signs callbacks, and hooks on a workflow.</summary>
public sealed class ApsWebhooks
{
    public const string ExtractionFinished = "extraction.finished";
    public const string ExtractionUpdated = "extraction.updated";

    private readonly ApsTransport _transport;
    private readonly Uri _base;
    private readonly ApsBearer _token;

    internal ApsWebhooks(ApsTransport transport, Uri baseUrl, ApsBearer token) => (_transport, _base, _token) = (transport, baseUrl, token);

    /// <summary>
    /// Sets the secret with which APS signs callbacks (<c>x-adsk-signature</c>): created, or replaced when the application
    /// has one already (APS answers 400 to a second create).
    /// </summary>
    public async Task SetSecretAsync(string secret, CancellationToken ct = default)
    {
        try
        {
            using var _ = await _transport.SendAsync("webhooks secret", ApsCloudClient.Json(HttpMethod.Post, Url("tokens"), new { token = secret }), Replay.Safe, _token, ct);
        }
        catch (ApsCloudException e) when (e.Kind == ApsFailure.BadRequest)
        {
            using var _ = await _transport.SendAsync("webhooks secret", ApsCloudClient.Json(HttpMethod.Put, Url("tokens/@me"), new { token = secret }), Replay.Safe, _token, ct);
        }
    }

    /// <summary>
    /// A hook on a derivative event for the workflow; its id. A hook with the same callback and workflow already there is
    /// APS's 409, answered with that hook's id.
    /// </summary>
    public async Task<string> CreateHookAsync(string @event, Uri callbackUrl, string workflow, CancellationToken ct = default)
    {
        try
        {
            using var response = await _transport.SendAsync("create hook", ApsCloudClient.Json(HttpMethod.Post, EventUrl(@event),
                new { callbackUrl = callbackUrl.ToString(), scope = new { workflow } }), Replay.Safe, _token, ct);
            return response.Headers.Location?.ToString().TrimEnd('/').Split('/')[^1] is { Length: > 0 } id ? id
                : throw new ApsCloudException(ApsFailure.ApiError, "create hook: APS answered no Location");
        }
        catch (ApsCloudException e) when (e.Kind == ApsFailure.Conflict)
        {
            var existing = (await HooksAsync(@event, ct)).FirstOrDefault(h => h.CallbackUrl == callbackUrl.ToString() && h.Workflow == workflow);
            if (existing is null) throw;
            return existing.HookId;
        }
    }

    /// <summary>The application's hooks on a derivative event (every page).</summary>
    public Task<IReadOnlyList<ApsHook>> HooksAsync(string @event, CancellationToken ct = default) => PagesAsync(EventUrl(@event), ct);

    /// <summary>The application's hooks on every derivative event (every page).</summary>
    public Task<IReadOnlyList<ApsHook>> HooksAsync(CancellationToken ct = default) => PagesAsync(Url("systems/derivative/hooks"), ct);

    /// <summary>Deletes a hook; one already gone is fine.</summary>
    public async Task DeleteHookAsync(string @event, string hookId, CancellationToken ct = default)
    {
        using var _ = await _transport.SendAsync("delete hook", ApsCloudClient.Plain(HttpMethod.Delete, new Uri(EventUrl(@event) + "/" + Uri.EscapeDataString(hookId))),
            Replay.Safe, _token, ct, accept: r => r.StatusCode == HttpStatusCode.NotFound);
    }

    private async Task<IReadOnlyList<ApsHook>> PagesAsync(Uri first, CancellationToken ct)
    {
        var hooks = new List<ApsHook>();
        for (Uri? page = first; page is not null && hooks.Count < 10_000;)
        {
            using var response = await _transport.SendAsync("list hooks", ApsCloudClient.Plain(HttpMethod.Get, page), Replay.Safe, _token, ct);
            if (response.StatusCode == HttpStatusCode.NoContent) break;
            var answer = await ApsTransport.ReadAsync<HooksPage>(response, "list hooks", ct);
            hooks.AddRange((answer.Data ?? []).Select(h => new ApsHook(h.HookId, h.Event, h.CallbackUrl,
                h.Scope.ValueKind == JsonValueKind.Object && h.Scope.TryGetProperty("workflow", out var w) ? w.GetString() : null, h.Status)));
            page = answer.Links?.Next is { Length: > 0 } next ? new Uri(_base, next) : null;
        }
        return hooks;
    }

    private Uri Url(string path) => new(_base, "webhooks/v1/" + path);

    private Uri EventUrl(string @event) => Url($"systems/derivative/events/{Uri.EscapeDataString(@event)}/hooks");

    private sealed record HooksPage([property: JsonPropertyName("links")] Links? Links, [property: JsonPropertyName("data")] IReadOnlyList<Hook>? Data);

    private sealed record Links([property: JsonPropertyName("next")] string? Next);

    private sealed record Hook(
        [property: JsonPropertyName("hookId")] string HookId,
        [property: JsonPropertyName("event")] string Event,
        [property: JsonPropertyName("callbackUrl")] string CallbackUrl,
        [property: JsonPropertyName("scope")] JsonElement Scope,
        [property: JsonPropertyName("status")] string? Status);
}

/// <summary>A hook as listed: its id, event, callback and workflow.</summary>
public sealed record ApsHook(string HookId, string Event, string CallbackUrl, string? Workflow, string? Status);
