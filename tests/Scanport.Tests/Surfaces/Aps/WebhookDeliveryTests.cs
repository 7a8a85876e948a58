using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scanport.Surfaces.Aps.ModelDerivative;
using static Scanport.Tests.Surfaces.Aps.WebhookCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>An app whose operator allowed callbacks to loopback (the tests' receiver), with short retries and limits.</summary>
public sealed class DeliveryApp : IAsyncLifetime
{
    public ScanportApp App { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Aps:Webhooks:AllowedCallbackNetworks:0"] = "127.0.0.0/8",
            ["Aps:Webhooks:DeliveryAttempts"] = "3",
            ["Aps:Webhooks:FailedEventsBeforeInactive"] = "2",
            ["Aps:Webhooks:CallbackTimeout"] = "00:00:03",
            // A hook made inactive with autoReactivateHook is tried again by the next event.
            ["Aps:Webhooks:ReactivateAfter"] = "00:00:00",
        });
        Receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await ((IAsyncLifetime)App).DisposeAsync();
    }
}

public sealed class WebhookDeliveryTests(DeliveryApp fixture) : IClassFixture<DeliveryApp>
{
    private readonly ScanportApp app = fixture.App;
    private readonly WebhookReceiver receiver = fixture.Receiver;

    [Fact]
    public async Task An_event_is_delivered_in_aps_shape_and_signed_with_the_secret_token()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        await (await client.PostAsJsonAsync(Tokens, new { token = "my-secret-token" })).Status(HttpStatusCode.OK);
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        var id = await client.CreateHookAsync(url, workflow, extra: new { hookAttribute = new { myfoo = 34 } });

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));

        var callback = Assert.Single(await receiver.WaitAsync(url));
        var expected = "sha1hash=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes("my-secret-token"), callback.Body));
        Assert.Equal(expected, callback.Header("x-adsk-signature"));
        Assert.True(Guid.TryParse(callback.Header("x-adsk-delivery-id"), out _));
        Assert.StartsWith("application/json", callback.Header("content-type"));
        var body = JsonDocument.Parse(callback.Body).RootElement;
        Assert.Equal("1.0", body.GetProperty("version").GetString());
        var urn = Event(aps.Tenant.OrgId, workflow).Urn;
        Assert.Equal(urn, body.GetProperty("resourceUrn").GetString());
        var hook = body.GetProperty("hook");
        Assert.Equal(id, hook.GetProperty("hookId").GetString());
        Assert.Equal("extraction.finished", hook.GetProperty("event").GetString());
        Assert.Equal("derivative", hook.GetProperty("system").GetString());
        Assert.Equal(workflow, hook.GetProperty("scope").GetProperty("workflow").GetString());
        Assert.Equal(workflow, hook.GetProperty("tenant").GetString());
        Assert.Equal(url, hook.GetProperty("callbackUrl").GetString());
        Assert.Equal(34, hook.GetProperty("hookAttribute").GetProperty("myfoo").GetInt32());
        var payload = body.GetProperty("payload");
        Assert.Equal(1764800000123, payload.GetProperty("TimeStamp").GetInt64());
        Assert.Equal(urn, payload.GetProperty("URN").GetString());
        Assert.Equal("EXTRACTION_FINISHED", payload.GetProperty("EventType").GetString());
        var inner = payload.GetProperty("Payload");
        Assert.Equal("success", inner.GetProperty("status").GetString());
        Assert.Equal("complete", inner.GetProperty("progress").GetString());
        Assert.Equal("svf2", inner.GetProperty("outputType").GetString());
        Assert.Equal(workflow, inner.GetProperty("workflowId").GetString());
        Assert.Equal("p-1", inner.GetProperty("workflowAttribute").GetProperty("project").GetString());
    }

    [Fact]
    public async Task A_hooks_own_token_signs_and_payload_only_hooks_get_the_payload_alone()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        var id = await client.CreateHookAsync(url, workflow, Updated, new { callbackWithEventPayloadOnly = true });
        await (await client.PatchAsJsonAsync($"{Updated}/{id}", new { token = "hook-token" })).Status(HttpStatusCode.OK);

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow, DerivativeEvent.Updated, "inprogress"));

        var callback = Assert.Single(await receiver.WaitAsync(url));
        Assert.Equal("sha1hash=" + Convert.ToHexStringLower(HMACSHA1.HashData("hook-token"u8, callback.Body)), callback.Header("x-adsk-signature"));
        var body = JsonDocument.Parse(callback.Body).RootElement;
        Assert.False(body.TryGetProperty("hook", out _));
        Assert.Equal("EXTRACTION_UPDATED", body.GetProperty("EventType").GetString());
        Assert.Equal("40% complete", body.GetProperty("Payload").GetProperty("progress").GetString());
    }

    [Fact]
    public async Task Without_a_secret_token_callbacks_are_unsigned()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        await client.CreateHookAsync(url, workflow);

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));

        Assert.Null(Assert.Single(await receiver.WaitAsync(url)).Header("x-adsk-signature"));
    }

    [Fact]
    public async Task A_receiver_failing_twice_is_retried_with_the_same_delivery_until_it_answers()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        receiver.Fail(url, 2, 503);
        var id = await client.CreateHookAsync(url, workflow);

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));

        var calls = await receiver.WaitAsync(url, 3);
        Assert.Equal(3, calls.Count);
        Assert.Single(calls.Select(c => c.Header("x-adsk-delivery-id")).Distinct());
        Assert.Single(calls.Select(c => c.Text).Distinct());
        await Task.Delay(500);
        Assert.Equal(3, receiver.To(url).Count);
        Assert.Equal("active", (await (await client.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_hook_whose_events_cannot_be_delivered_becomes_inactive_and_hears_nothing_more()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        receiver.Fail(url, int.MaxValue, 500);
        var id = await client.CreateHookAsync(url, workflow);

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await receiver.WaitAsync(url, 3);
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await receiver.WaitAsync(url, 6);

        await StatusBecomesAsync(client, id, "inactive");
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await Task.Delay(1000);
        Assert.Equal(6, receiver.To(url).Count);
    }

    [Fact]
    public async Task An_inactive_hook_with_automatic_reactivation_is_tried_once_by_the_next_event_and_active_again_when_delivered()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        receiver.Fail(url, 7, 500);
        var id = await client.CreateHookAsync(url, workflow, extra: new { autoReactivateHook = true });
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await receiver.WaitAsync(url, 3);
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await receiver.WaitAsync(url, 6);
        await StatusBecomesAsync(client, id, "inactive");

        // Reactivated: one attempt, which fails (the 7th call), and the hook is inactive again.
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await receiver.WaitAsync(url, 7);
        await StatusBecomesAsync(client, id, "inactive");
        await Task.Delay(500);
        Assert.Equal(7, receiver.To(url).Count);
        // The next one is delivered: the hook is active again.
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await receiver.WaitAsync(url, 8);
        await StatusBecomesAsync(client, id, "active");
    }

    private static async Task StatusBecomesAsync(HttpClient client, string id, string expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string? status;
        do
        {
            await Task.Delay(100);
            status = (await (await client.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK)).GetProperty("status").GetString();
        }
        while (status != expected && waited.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Only_the_organizations_active_hooks_of_the_event_and_workflow_hear_it()
    {
        var aps = await ApsClient.CreateAsync(app);
        var stranger = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        using var strangerClient = app.Client(await stranger.TokenAsync());
        var workflow = NewWorkflow();
        var heard = receiver.NewUrl();
        var inactive = receiver.NewUrl();
        var otherWorkflow = receiver.NewUrl();
        var otherEvent = receiver.NewUrl();
        var otherOrg = receiver.NewUrl();
        await client.CreateHookAsync(heard, workflow);
        var inactiveId = await client.CreateHookAsync(inactive, workflow);
        await (await client.PatchAsJsonAsync($"{Finished}/{inactiveId}", new { status = "inactive" })).Status(HttpStatusCode.OK);
        await client.CreateHookAsync(otherWorkflow, NewWorkflow());
        await client.CreateHookAsync(otherEvent, workflow, Updated);
        // Another organization listening to the same workflow id hears only its own organization's events.
        await strangerClient.CreateHookAsync(otherOrg, workflow);

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow) with { Workflow = null });

        await receiver.WaitAsync(heard);
        await Task.Delay(1000);
        Assert.Single(receiver.To(heard));
        foreach (var silent in new[] { inactive, otherWorkflow, otherEvent, otherOrg }) Assert.Empty(receiver.To(silent));
    }

    [Fact]
    public async Task A_hooks_filter_decides_which_events_it_hears()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var url = receiver.NewUrl();
        await client.CreateHookAsync(url, workflow, extra: new { filter = "$[?(@.Payload.status in ['failed','timeout'])]" });

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow, status: "success"));
        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow, status: "failed"));

        var callback = Assert.Single(await receiver.WaitAsync(url));
        Assert.Equal("failed", JsonDocument.Parse(callback.Body).RootElement.GetProperty("payload").GetProperty("Payload").GetProperty("status").GetString());
        await Task.Delay(500);
        Assert.Single(receiver.To(url));
        await (await client.PostAsJsonAsync(Finished, new { callbackUrl = receiver.NewUrl(), scope = new { workflow }, filter = "$[?(@.x =~ /a/)]" }))
            .WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
    }

    [Fact]
    public async Task A_hook_made_and_called_back_through_nodes_fetch_verifies_the_signature()
    {
        var aps = await ApsClient.CreateAsync(app);
        var workflow = NewWorkflow();
        var script = Path.Combine(RepoPaths.Root, "tests", "Scanport.Tests", "Surfaces", "Aps", "sdk", "webhook-flow.mjs");
        var node = ExternalProgram.RunAsync("node", [script, app.BaseAddress.ToString().TrimEnd('/'), aps.ClientId.ToString(), aps.Secret, workflow], timeoutSeconds: 60);
        using var client = app.Client(await aps.TokenAsync());
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await client.GetAsync(Finished)).StatusCode != HttpStatusCode.OK)
        {
            Assert.False(node.IsCompleted, $"node ended early: {(node.IsCompleted ? (await node).Stderr : "")}");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "node made no hook");
            await Task.Delay(100);
        }

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));

        var (code, stdout, stderr) = await node;
        Assert.True(code == 0, $"node failed ({code}): {stderr}\n{stdout}");
        var received = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("EXTRACTION_FINISHED", received.GetProperty("body").GetProperty("payload").GetProperty("EventType").GetString());
        Assert.Equal(workflow, received.GetProperty("body").GetProperty("hook").GetProperty("scope").GetProperty("workflow").GetString());
    }
}
