using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Surfaces.Aps.ModelDerivative;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>The webhooks API as the tests call it, and events raised as a translation job raises them.</summary>
internal static class WebhookCalls
{
    public const string Finished = "/webhooks/v1/systems/derivative/events/extraction.finished/hooks";
    public const string Updated = "/webhooks/v1/systems/derivative/events/extraction.updated/hooks";
    public const string Tokens = "/webhooks/v1/tokens";

    /// <summary>A two-legged token of the client that may read and write hooks.</summary>
    public static async Task<string> TokenAsync(this ApsClient aps, string scope = "data:read data:write") =>
        (await aps.TwoLeggedAsync(scope)).GetProperty("access_token").GetString()!;

    /// <summary>Another API key of the client's organization, with its own two-legged token.</summary>
    public static async Task<(Guid Id, string Token)> KeyOfSameOrgAsync(this ApsClient aps, string role, string scope = "data:read data:write")
    {
        using var admin = aps.Tenant.Admin();
        var key = await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/api-keys", new { name = $"{role} app", role })).Status(HttpStatusCode.Created);
        var other = aps with { ClientId = key.Id(), Secret = key.GetProperty("secret").GetString()! };
        return (other.ClientId, await other.TokenAsync(scope));
    }

    /// <summary>Creates a hook for an event; answers its id (the last segment of <c>Location</c>).</summary>
    public static async Task<string> CreateHookAsync(this HttpClient client, string callbackUrl, string workflow, string hooks = Finished, object? extra = null)
    {
        var body = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        body["callbackUrl"] = callbackUrl;
        body["scope"] = new System.Text.Json.Nodes.JsonObject { ["workflow"] = workflow };
        var response = await client.PostAsJsonAsync(hooks, body);
        await response.Status(HttpStatusCode.Created);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(hooks + "/", location);
        return location[(hooks.Length + 1)..];
    }

    public static string NewWorkflow() => $"wf-{Guid.NewGuid():N}"[..30];

    /// <summary>Raises an event through every registered <see cref="IDerivativeEventSink"/>, in a scope, as a translation job does.</summary>
    public static async Task RaiseAsync(this ScanportApp app, DerivativeEvent derivativeEvent)
    {
        using var scope = app.Services.CreateScope();
        var sinks = scope.ServiceProvider.GetServices<IDerivativeEventSink>().ToList();
        Assert.NotEmpty(sinks);
        foreach (var sink in sinks) await sink.RaiseAsync(derivativeEvent, CancellationToken.None);
    }

    public static DerivativeEvent Event(Guid orgId, string workflow, string @event = DerivativeEvent.Finished, string status = "success",
        string urn = "dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6aG9va3MtYnVja2V0L21vZGVsLm9iag") =>
        new(orgId, @event, urn, workflow, System.Text.Json.Nodes.JsonNode.Parse("""{"project":"p-1","n":2}"""),
            "svf2", status, status == "success" ? "complete" : "40% complete", DateTimeOffset.FromUnixTimeMilliseconds(1764800000123));

    /// <summary>APS's webhooks error body: the status repeated, a code and the details.</summary>
    public static async Task<JsonElement> WebhooksErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Status(status);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("id").GetString()));
        Assert.NotEmpty(body.GetProperty("detail").EnumerateArray());
        return body;
    }
}
