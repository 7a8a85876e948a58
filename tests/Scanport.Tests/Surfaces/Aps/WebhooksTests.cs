using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Surfaces.Aps.Webhooks;
using static Scanport.Tests.Surfaces.Aps.WebhookCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// The webhooks API on the shared app, which allows no internal callback addresses: hooks here call back to a public
/// address (TEST-NET-3, never reached: these tests raise no events).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WebhooksTests(ScanportApp app)
{
    private const string Callback = "http://203.0.113.10/callback";

    [Fact]
    public async Task A_hook_is_created_with_its_location_then_read_listed_patched_and_deleted()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();

        var id = await client.CreateHookAsync(Callback, workflow, extra: new
        {
            hookAttribute = new { myfoo = 33, nested = new { ok = true } },
            autoReactivateHook = true,
            hookExpiry = "2099-01-02T03:04:05.678Z",
            tenant = "my-tenant",
        });

        var hook = await (await client.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal(id, hook.GetProperty("hookId").GetString());
        Assert.Equal(Callback, hook.GetProperty("callbackUrl").GetString());
        Assert.Equal(aps.ClientId.ToString(), hook.GetProperty("createdBy").GetString());
        Assert.Equal("Application", hook.GetProperty("creatorType").GetString());
        Assert.Equal("derivative", hook.GetProperty("system").GetString());
        Assert.Equal("extraction.finished", hook.GetProperty("event").GetString());
        Assert.Equal("active", hook.GetProperty("status").GetString());
        Assert.True(hook.GetProperty("autoReactivateHook").GetBoolean());
        Assert.Equal("2099-01-02T03:04:05.678Z", hook.GetProperty("hookExpiry").GetString());
        Assert.Equal("my-tenant", hook.GetProperty("tenant").GetString());
        Assert.Equal(workflow, hook.GetProperty("scope").GetProperty("workflow").GetString());
        Assert.Equal(33, hook.GetProperty("hookAttribute").GetProperty("myfoo").GetInt32());
        Assert.Equal($"urn:adsk.webhooks:events.hook:{id}", hook.GetProperty("urn").GetString());
        Assert.Equal($"/systems/derivative/events/extraction.finished/hooks/{id}", hook.GetProperty("__self__").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", hook.GetProperty("createdDate").GetString()!);

        foreach (var list in new[] { "/webhooks/v1/hooks", "/webhooks/v1/systems/derivative/hooks", Finished, "/webhooks/v1/app/hooks", "/webhooks/v1/hooks?status=active" })
        {
            var page = await (await client.GetAsync(list)).Status(HttpStatusCode.OK);
            Assert.Equal(id, Assert.Single(page.GetProperty("data").EnumerateArray()).GetProperty("hookId").GetString());
        }
        await (await client.GetAsync(Updated)).Status(HttpStatusCode.NoContent);
        await (await client.GetAsync("/webhooks/v1/hooks?status=inactive")).Status(HttpStatusCode.NoContent);
        await (await client.GetAsync("/webhooks/v1/hooks?region=EMEA")).Status(HttpStatusCode.NoContent);

        var patched = await (await client.PatchAsJsonAsync($"{Finished}/{id}", new { status = "inactive", filter = "$[?(@.ext=='txt')]", hookAttribute = new { a = 1 } }))
            .Status(HttpStatusCode.OK);
        Assert.Equal("inactive", patched.GetProperty("status").GetString());
        hook = await (await client.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal("inactive", hook.GetProperty("status").GetString());
        Assert.Equal("$[?(@.ext=='txt')]", hook.GetProperty("filter").GetString());
        Assert.Equal(1, hook.GetProperty("hookAttribute").GetProperty("a").GetInt32());
        Assert.Equal(id, Assert.Single((await (await client.GetAsync("/webhooks/v1/hooks?status=inactive")).Status(HttpStatusCode.OK))
            .GetProperty("data").EnumerateArray()).GetProperty("hookId").GetString());
        // null: never expires.
        hook = await (await client.PatchAsync($"{Finished}/{id}", JsonContent("""{"hookExpiry":null}"""))).Status(HttpStatusCode.OK);
        Assert.False(hook.TryGetProperty("hookExpiry", out _));

        await (await client.DeleteAsync($"{Finished}/{id}")).Status(HttpStatusCode.NoContent);
        await (await client.GetAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.DeleteAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_same_callback_for_the_same_event_and_workflow_is_a_conflict()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        await client.CreateHookAsync(Callback, workflow);

        await (await client.PostAsJsonAsync(Finished, new { callbackUrl = Callback, scope = new { workflow } }))
            .WebhooksErrorAsync(HttpStatusCode.Conflict, "CONFLICT_ERROR");
        // Another event, another workflow, another callback: new hooks.
        await client.CreateHookAsync(Callback, workflow, Updated);
        await client.CreateHookAsync(Callback, NewWorkflow());
        await client.CreateHookAsync(Callback + "/2", workflow);
    }

    [Fact]
    public async Task Hooks_for_every_event_of_the_system_are_created_together()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());

        var response = await client.PostAsJsonAsync("/webhooks/v1/systems/derivative/hooks", new { callbackUrl = Callback, scope = new { workflow = NewWorkflow() } });

        var created = await response.Status(HttpStatusCode.Created);
        var hooks = created.GetProperty("hooks").EnumerateArray().ToList();
        Assert.Equal(["extraction.finished", "extraction.updated"], hooks.Select(h => h.GetProperty("event").GetString()).Order());
        Assert.EndsWith(hooks[0].GetProperty("hookId").GetString()!, response.Headers.Location!.ToString());
        var listed = await (await client.GetAsync("/webhooks/v1/systems/derivative/hooks")).Status(HttpStatusCode.OK);
        Assert.Equal(2, listed.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Another_organizations_hooks_are_not_found_nor_listed()
    {
        var owner = await ApsClient.CreateAsync(app, "admin");
        var stranger = await ApsClient.CreateAsync(app, "admin");
        using var ownerClient = app.Client(await owner.TokenAsync());
        using var strangerClient = app.Client(await stranger.TokenAsync());
        var id = await ownerClient.CreateHookAsync(Callback, NewWorkflow());

        await (await strangerClient.GetAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await strangerClient.PatchAsJsonAsync($"{Finished}/{id}", new { status = "inactive" })).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await strangerClient.DeleteAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await strangerClient.GetAsync("/webhooks/v1/hooks")).Status(HttpStatusCode.NoContent);
        await (await ownerClient.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reviewers_read_every_hook_operators_change_their_own_and_admins_all()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var operatorClient = app.Client(await aps.TokenAsync());
        var (_, reviewerToken) = await aps.KeyOfSameOrgAsync("reviewer");
        var (_, otherOperatorToken) = await aps.KeyOfSameOrgAsync("operator");
        var (_, adminToken) = await aps.KeyOfSameOrgAsync("admin");
        using var reviewer = app.Client(reviewerToken);
        using var otherOperator = app.Client(otherOperatorToken);
        using var admin = app.Client(adminToken);
        var id = await operatorClient.CreateHookAsync(Callback, NewWorkflow());

        await (await reviewer.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK);
        Assert.Single((await (await reviewer.GetAsync("/webhooks/v1/hooks")).Status(HttpStatusCode.OK)).GetProperty("data").EnumerateArray());
        await (await reviewer.PostAsJsonAsync(Finished, new { callbackUrl = Callback, scope = new { workflow = NewWorkflow() } }))
            .WebhooksErrorAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reviewer.PatchAsJsonAsync($"{Finished}/{id}", new { status = "inactive" })).WebhooksErrorAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reviewer.DeleteAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reviewer.PostAsJsonAsync(Tokens, new { token = "secret" })).WebhooksErrorAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        // Another operator's hook is not this operator's to see.
        await (await otherOperator.GetAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await otherOperator.DeleteAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await admin.PatchAsJsonAsync($"{Finished}/{id}", new { status = "inactive" })).Status(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"{Finished}/{id}")).Status(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_three_legged_users_hooks_are_the_users()
    {
        var aps = await ApsClient.CreateAsync(app);
        var token = (await aps.ThreeLeggedAsync("data:read data:write")).GetProperty("access_token").GetString()!;
        using var client = app.Client(token);

        var id = await client.CreateHookAsync(Callback, NewWorkflow());

        var hook = await (await client.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal("O2User", hook.GetProperty("creatorType").GetString());
        Assert.NotEqual(aps.ClientId.ToString(), hook.GetProperty("createdBy").GetString());
        // The app's own list is a two-legged call.
        await (await client.GetAsync("/webhooks/v1/app/hooks")).WebhooksErrorAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        using var app2Legged = app.Client(await aps.TokenAsync());
        await (await app2Legged.GetAsync($"{Finished}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Scopes_are_enforced_and_platform_tokens_refused()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var readOnly = app.Client(await aps.TokenAsync("data:read"));
        using var writeOnly = app.Client(await aps.TokenAsync("data:write"));
        using var platform = aps.Tenant.Admin();
        using var anonymous = app.Client();
        var body = new { callbackUrl = Callback, scope = new { workflow = NewWorkflow() } };

        await AssertApsRefusal(await readOnly.PostAsJsonAsync(Finished, body), HttpStatusCode.Forbidden, "AUTH-012");
        await AssertApsRefusal(await readOnly.PostAsJsonAsync(Tokens, new { token = "t" }), HttpStatusCode.Forbidden, "AUTH-012");
        await AssertApsRefusal(await writeOnly.GetAsync("/webhooks/v1/hooks"), HttpStatusCode.Forbidden, "AUTH-012");
        await AssertApsRefusal(await anonymous.GetAsync("/webhooks/v1/hooks"), HttpStatusCode.Unauthorized, "AUTH-001");
        await AssertApsRefusal(await platform.GetAsync("/webhooks/v1/hooks"), HttpStatusCode.Unauthorized, "AUTH-001");
        using var forged = app.Client("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        await AssertApsRefusal(await forged.GetAsync("/webhooks/v1/hooks"), HttpStatusCode.Unauthorized, "AUTH-001");
        await readOnly.GetAsync("/webhooks/v1/hooks");
        await (await writeOnly.PostAsJsonAsync(Finished, body)).Status(HttpStatusCode.Created);
    }

    private static async Task AssertApsRefusal(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Status(status);
        Assert.Equal(code, body.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Bad_input_is_refused_in_the_webhooks_error_shape()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        var id = await client.CreateHookAsync(Callback, workflow);

        foreach (var (url, json) in new (string, string)[]
        {
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}"""),
            (Finished, """[1, 2]"""),
            (Finished, """{"scope": {"workflow": "w"}}"""),
            (Finished, """{"callbackUrl": "not a url", "scope": {"workflow": "w"}}"""),
            (Finished, """{"callbackUrl": "ftp://203.0.113.10/x", "scope": {"workflow": "w"}}"""),
            (Finished, """{"callbackUrl": 12, "scope": {"workflow": "w"}}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x"}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"folder": "urn:x"}}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "has spaces and is far too long for a workflow id"}}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}, "autoReactivateHook": "yes"}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}, "hookExpiry": "tomorrow"}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}, "hookExpiry": "2001-01-01T00:00:00Z"}"""),
            (Finished, """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}, "hookAttribute": "text"}"""),
            (Finished, $$$"""{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}, "hookAttribute": {"a": "{{{new string('x', 1100)}}}"}}"""),
            ("/webhooks/v1/systems/data/events/dm.version.added/hooks", """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}}"""),
            ("/webhooks/v1/systems/derivative/events/model.sync/hooks", """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}}"""),
            ("/webhooks/v1/systems/nonsense/hooks", """{"callbackUrl": "http://203.0.113.10/x", "scope": {"workflow": "w"}}"""),
            (Tokens, """{"token": ""}"""),
            (Tokens, """{"token": 5}"""),
            (Tokens, """{}"""),
        })
        {
            var response = await client.PostAsync(url, JsonContent(json));
            await response.WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
        }
        foreach (var url in new[] { $"{Finished}?status=broken", $"{Finished}?pageState=%%%", "/webhooks/v1/hooks?region=MARS", "/webhooks/v1/systems/nonsense/hooks",
            "/webhooks/v1/app/hooks?sort=sideways", $"/webhooks/v1/systems/derivative/events/nope/hooks/{id}" })
            await (await client.GetAsync(url)).WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/webhooks/v1/hooks"))
        {
            request.Headers.Add("x-ads-region", "ATLANTIS");
            await (await client.SendAsync(request)).WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
        }
        foreach (var json in new[] { """{"status": "paused"}""", """{}""", """{"autoReactivateHook": 1}""", """{"token": ""}""", """{"status": "active" """ })
            await (await client.PatchAsync($"{Finished}/{id}", JsonContent(json))).WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
        foreach (var unknown in new[] { Guid.NewGuid().ToString(), "not-a-guid" })
        {
            await (await client.GetAsync($"{Finished}/{unknown}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
            await (await client.PatchAsJsonAsync($"{Finished}/{unknown}", new { status = "active" })).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        }
        // The hook is found only under its own event.
        await (await client.GetAsync($"{Updated}/{id}")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("active", (await (await client.GetAsync($"{Finished}/{id}")).Status(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Secret_tokens_are_set_once_replaced_and_removed()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());

        var created = await (await client.PostAsJsonAsync(Tokens, new { token = "first-secret" })).Status(HttpStatusCode.OK);
        Assert.Equal(200, created.GetProperty("status").GetInt32());
        Assert.Contains(aps.ClientId.ToString(), created.GetProperty("detail")[0].GetString());
        await (await client.PostAsJsonAsync(Tokens, new { token = "again" })).WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
        await (await client.PutAsJsonAsync($"{Tokens}/@me", new { token = "second-secret" })).Status(HttpStatusCode.NoContent);
        await (await client.PutAsJsonAsync($"{Tokens}/@me", new { token = "" })).WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");
        Assert.Equal("second-secret", await StoredTokenAsync(aps.ClientId));
        await (await client.DeleteAsync($"{Tokens}/@me")).Status(HttpStatusCode.NoContent);
        Assert.Null(await StoredTokenAsync(aps.ClientId));
        await (await client.DeleteAsync($"{Tokens}/@me")).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.PutAsJsonAsync($"{Tokens}/@me", new { token = "x" })).WebhooksErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    private async Task<string?> StoredTokenAsync(Guid owner)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanportDb>().ApsWebhookTokens.Where(t => t.OwnerId == owner).Select(t => t.Token).FirstOrDefaultAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/cb")]
    [InlineData("http://localhost/cb")]
    [InlineData("http://10.1.2.3/cb")]
    [InlineData("http://172.16.0.9/cb")]
    [InlineData("http://192.168.1.1/cb")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/cb")]
    [InlineData("http://0.0.0.0/cb")]
    [InlineData("http://224.0.0.1/cb")]
    [InlineData("http://[::1]/cb")]
    [InlineData("http://[fd00::1]/cb")]
    [InlineData("http://[fe80::1]/cb")]
    [InlineData("http://[::ffff:127.0.0.1]/cb")]
    [InlineData("http://[::10.0.0.1]/cb")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/cb")]
    [InlineData("https://2130706433/cb")]
    public async Task A_hook_calling_back_to_an_internal_address_is_refused_unless_allowed(string callbackUrl)
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());

        var error = await (await client.PostAsJsonAsync(Finished, new { callbackUrl, scope = new { workflow = NewWorkflow() } }))
            .WebhooksErrorAsync(HttpStatusCode.BadRequest, "BAD_INPUT");

        Assert.Contains("callbackUrl", error.GetProperty("detail")[0].GetString());
    }

    [Fact]
    public async Task A_callback_whose_name_resolves_to_loopback_at_delivery_is_refused()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var aps = await ApsClient.CreateAsync(app);
        var workflow = NewWorkflow();
        // A name that pointed elsewhere when the hook was made and now resolves to loopback (DNS rebinding): stored as such.
        var callback = $"http://localhost:{receiver.BaseAddress.Port}/callback/rebound";
        var hookId = await InsertHookAsync(aps, workflow, callback);

        await app.RaiseAsync(Event(aps.Tenant.OrgId, workflow));

        var job = await FinishedDeliveryAsync(hookId);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("does not call back", job.Error);
        Assert.Equal(1, job.Attempts);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Listings_are_paged_by_page_state()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client(await aps.TokenAsync());
        var workflow = NewWorkflow();
        for (var i = 0; i < 201; i++) await InsertHookAsync(aps, workflow, $"{Callback}/{i}");

        var first = await (await client.GetAsync(Finished)).Status(HttpStatusCode.OK);
        Assert.Equal(200, first.GetProperty("data").GetArrayLength());
        var next = first.GetProperty("links").GetProperty("next").GetString()!;
        Assert.StartsWith("/systems/derivative/events/extraction.finished/hooks?pageState=", next);
        var second = await (await client.GetAsync("/webhooks/v1" + next)).Status(HttpStatusCode.OK);
        var last = Assert.Single(second.GetProperty("data").EnumerateArray());
        Assert.False(second.GetProperty("links").TryGetProperty("next", out _));
        Assert.DoesNotContain(last.GetProperty("hookId").GetString(), first.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("hookId").GetString()));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_with_its_failures_in_the_webhooks_error_body()
    {
        using var client = app.Client();

        var paths = (await (await client.GetAsync("/openapi/aps-webhooks.json")).Status(HttpStatusCode.OK)).GetProperty("paths");

        Assert.Equal(["/webhooks/v1/app/hooks", "/webhooks/v1/hooks", "/webhooks/v1/systems/{system}/events/{event}/hooks",
            "/webhooks/v1/systems/{system}/events/{event}/hooks/{hookId}", "/webhooks/v1/systems/{system}/hooks", "/webhooks/v1/tokens",
            "/webhooks/v1/tokens/@me"], paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var create = paths.GetProperty("/webhooks/v1/systems/{system}/events/{event}/hooks").GetProperty("post").GetProperty("responses");
        Assert.Contains("WebhooksError", create.GetProperty("409").GetRawText());
        Assert.Contains("ApsError", create.GetProperty("401").GetRawText());
    }

    private async Task<Guid> InsertHookAsync(ApsClient aps, string workflow, string callback)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = DateTimeOffset.FromUnixTimeSeconds(1764800000);
        var hook = new ApsHook
        {
            OrgId = aps.Tenant.OrgId,
            CreatedBy = aps.ClientId,
            CreatorType = "Application",
            System = "derivative",
            Event = "extraction.finished",
            Workflow = workflow,
            CallbackUrl = callback,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ApsHooks.Add(hook);
        await db.SaveChangesAsync();
        return hook.Id;
    }

    private async Task<Job> FinishedDeliveryAsync(Guid hookId)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using (var scope = app.Services.CreateScope())
            {
                var job = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AsNoTracking()
                    .FirstOrDefaultAsync(j => j.Subject == $"aps-hook:{hookId}");
                if (job is not null && JobStatus.IsFinal(job.Status)) return job;
            }
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the delivery job did not finish");
            await Task.Delay(50);
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
