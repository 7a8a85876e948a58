using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>APS's <c>HookDetails</c>: a webhook as the API lists it and as a callback's <c>hook</c> tells it.</summary>
public sealed record HookDetails(
    [property: JsonPropertyName("hookId")] string HookId,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("callbackUrl")] string CallbackUrl,
    [property: JsonPropertyName("createdBy")] string CreatedBy,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("createdDate")] string CreatedDate,
    [property: JsonPropertyName("lastUpdatedDate")] string LastUpdatedDate,
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("creatorType")] string CreatorType,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("autoReactivateHook")] bool AutoReactivateHook,
    [property: JsonPropertyName("hookExpiry"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HookExpiry,
    [property: JsonPropertyName("scope")] HookScope Scope,
    [property: JsonPropertyName("hookAttribute"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? HookAttribute,
    [property: JsonPropertyName("filter"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Filter,
    [property: JsonPropertyName("hubId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HubId,
    [property: JsonPropertyName("projectId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProjectId,
    [property: JsonPropertyName("urn")] string Urn,
    // A string in APS's HookDetails, unlike the boolean the create request takes.
    [property: JsonPropertyName("callbackWithEventPayloadOnly")] string CallbackWithEventPayloadOnly,
    [property: JsonPropertyName("__self__")] string Self)
{
    public static HookDetails Of(ApsHook hook) => new(
        hook.Id.ToString(), hook.Tenant ?? hook.Workflow, hook.CallbackUrl, hook.CreatedBy.ToString(), hook.Event,
        Date(hook.CreatedAt), Date(hook.UpdatedAt), hook.System, hook.CreatorType, hook.Status, hook.AutoReactivateHook,
        hook.HookExpiry?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        new HookScope(hook.Workflow), hook.HookAttribute is { } attribute ? JsonNode.Parse(attribute) : null, hook.Filter,
        hook.HubId, hook.ProjectId, $"urn:adsk.webhooks:events.hook:{hook.Id}",
        hook.CallbackWithEventPayloadOnly ? "true" : "false", SelfOf(hook));

    public static string SelfOf(ApsHook hook) => $"/systems/{hook.System}/events/{hook.Event}/hooks/{hook.Id}";

    /// <summary>APS writes a hook's dates with milliseconds and a numeric offset: <c>2017-09-14T06:57:50.597+0000</c>.</summary>
    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}

public sealed record HookScope([property: JsonPropertyName("workflow")] string Workflow);

/// <summary>APS's <c>Hooks</c>: a page of webhooks, with the address of the next page when there is one.</summary>
public sealed record HooksPage(
    [property: JsonPropertyName("links")] HooksLinks Links,
    [property: JsonPropertyName("data")] IReadOnlyList<HookDetails> Data);

public sealed record HooksLinks([property: JsonPropertyName("next"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>APS's <c>Hook</c>: what creating hooks for every event of a system answers.</summary>
public sealed record CreatedHooks([property: JsonPropertyName("hooks")] IReadOnlyList<HookDetails> Hooks);

/// <summary>APS's <c>Token</c>: the outcome of setting a secret token.</summary>
public sealed record TokenOutcome(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] IReadOnlyList<string> Detail);

/// <summary>Reads a JSON request object field by field, so that a wrong type, a JSON null and an absent field all differ.</summary>
internal readonly struct JsonFields(JsonElement body)
{
    public bool Has(string name) => body.TryGetProperty(name, out _);

    public bool IsNull(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;

    /// <summary>The string, null when absent or JSON null; an error when it is another type.</summary>
    public string? String(string name, ref string? error)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        error ??= $"{name} must be a string";
        return null;
    }

    public bool? Bool(string name, ref string? error)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        error ??= $"{name} must be a boolean";
        return null;
    }

    public JsonElement? Object(string name, ref string? error)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Object) return v;
        error ??= $"{name} must be an object";
        return null;
    }
}
