using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Projects;
using Scanport.Surfaces.ApsIntegration;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// <c>POST /webhooks/translation-status</c>: the translation news Scanport's APS cloud pushes through the surface's hooks, and
/// the endpoint's checks (the signature of the exact body, replays, stale and future callbacks, news older than the file's).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WebhookTests(ScanportApp app)
{
    private const string Hook = $"{Base}/webhooks/translation-status";

    [Fact]
    public async Task A_translation_is_heard_by_push_without_any_read_of_the_api()
    {
        var (_, client) = await app.UserAsync();
        var projectId = (await client.ProjectAsync("Webhooks por push")).GetProperty("id").GetInt64();
        var file = await (await client.UploadModelAsync(projectId, "house.obj")).Status(HttpStatusCode.Created);
        var id = file.GetProperty("id").GetInt64();
        var urn = file.GetProperty("urn").GetString()!;
        await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);

        // Only the database is read from here on: every API read of the file would refresh it from the manifest.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
        ApsiFile row;
        while ((row = await FileRowAsync(app, id)).Status is FileStatus.Translating or FileStatus.Uploaded)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the file is still {row.Status}: no callback arrived");
            await Task.Delay(200);
        }
        Assert.Equal(FileStatus.Ready, row.Status);
        Assert.NotNull(row.TranslatedAt);

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        Assert.NotEmpty(await db.Set<ApsiWebhookReceipt>().ToListAsync());
        var registration = await db.Set<ApsiHookRegistration>().ToListAsync();
        Assert.Contains(registration, r => r.CallbackUrl == new Uri(app.BaseAddress, Hook).ToString());

        // The hooks are on the organization's application at the cloud: extraction.finished and .updated, for the surface's workflow.
        var hooks = scope.ServiceProvider.GetRequiredService<TenantClouds>();
        var orgId = await db.Set<ApsiFile>().Where(f => f.Number == id).Join(db.Projects, f => f.ProjectId, p => p.Id, (f, p) => p.OrgId).FirstAsync();
        var cloud = await hooks.ForAsync(orgId, CancellationToken.None);
        var registered = await cloud.Webhooks.HooksAsync();
        Assert.Contains(registered, h => h.Event == "extraction.finished" && h.Workflow == TranslationHooks.Workflow && h.CallbackUrl.EndsWith(Hook, StringComparison.Ordinal));
        Assert.Contains(registered, h => h.Event == "extraction.updated" && h.Workflow == TranslationHooks.Workflow && h.CallbackUrl.EndsWith(Hook, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signed_callbacks_of_both_shapes_are_taken_and_everything_else_changes_nothing()
    {
        const string secret = "webhook-secret-of-this-test";
        var own = await OwnAppAsync(secret);
        try
        {
            await SignedCallbacksAsync(own, secret);
        }
        finally
        {
            await ((IAsyncLifetime)own).DisposeAsync();
        }
    }

    private static async Task SignedCallbacksAsync(ScanportApp own, string secret)
    {
        var (_, client) = await own.UserAsync();
        var projectId = (await client.ProjectAsync("Webhooks firmados")).GetProperty("id").GetInt64();
        var first = await (await client.UploadModelAsync(projectId, "house.obj")).Status(HttpStatusCode.Created);
        var second = await (await client.UploadModelAsync(projectId, "house.obj", "casa-2.obj")).Status(HttpStatusCode.Created);
        var (firstId, firstUrn) = (first.GetProperty("id").GetInt64(), first.GetProperty("urn").GetString()!);
        var (secondId, secondUrn) = (second.GetProperty("id").GetInt64(), second.GetProperty("urn").GetString()!);
        using var anonymous = own.Client();

        // Unsigned, forged, or signed over another body: 401, nothing stored.
        var now = DateTimeOffset.UtcNow;
        var news = Document(firstUrn, "success", now);
        await (await PostAsync(anonymous, news, null)).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
        await (await PostAsync(anonymous, news, Sign("another-secret", news))).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
        await (await PostAsync(anonymous, news, Sign(secret, news + " "))).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
        await (await PostAsync(anonymous, news, "sha1hash=" + new string('z', 40))).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
        Assert.Equal(FileStatus.Uploaded, (await FileRowAsync(own, firstId)).Status);
        Assert.Equal(0, await ReceiptsAsync(own));

        // The document's shape, signed, with the document's own misspelt URN (urn:adsk:objects.os.object:) of the file: it is ready.
        var objectId = Scanport.ApsCloud.ApsUrns.Decode(firstUrn)!;
        news = Document(Scanport.ApsCloud.ApsUrns.Encode("urn:adsk:objects.os.object:" + objectId["urn:adsk.objects:os.object:".Length..]), "success", now);
        var taken = await (await PostAsync(anonymous, news, Sign(secret, news))).Status(HttpStatusCode.OK);
        Assert.Equal((true, false, 1), Receipt(taken));
        var ready = await FileRowAsync(own, firstId);
        Assert.Equal((FileStatus.Ready, (DateTimeOffset?)ready.StatusAt), (ready.Status, ready.TranslatedAt));
        Assert.Equal(1, await ReceiptsAsync(own));

        // The same callback again: a duplicate that changes nothing.
        var again = await (await PostAsync(anonymous, news, Sign(secret, news))).Status(HttpStatusCode.OK);
        Assert.Equal((true, true, 0), Receipt(again));
        // Its signature spelt otherwise (upper case) is still the same callback.
        var shouted = Sign(secret, news).ToUpperInvariant();
        Assert.Equal((true, true, 0), Receipt(await (await PostAsync(anonymous, news, shouted)).Status(HttpStatusCode.OK)));
        Assert.Equal(1, await ReceiptsAsync(own));

        // News older than the file's last change (a late "inprogress") changes nothing.
        var late = Document(firstUrn, "inprogress", now.AddSeconds(-30), progress: "50% complete");
        Assert.Equal((true, false, 0), Receipt(await (await PostAsync(anonymous, late, Sign(secret, late))).Status(HttpStatusCode.OK)));
        Assert.Equal(FileStatus.Ready, (await FileRowAsync(own, firstId)).Status);

        // APS's own callback shape: a failed translation of the second file.
        var aps = JsonSerializer.Serialize(new
        {
            version = "1.0.0",
            resourceUrn = secondUrn,
            hook = new { hookId = "hook-1", @event = "extraction.finished", system = "derivative", scope = new { workflow = TranslationHooks.Workflow } },
            payload = new
            {
                TimeStamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                URN = secondUrn,
                EventType = "EXTRACTION_FINISHED",
                Payload = new { status = "failed", progress = "complete" },
            },
        });
        Assert.Equal((true, false, 1), Receipt(await (await PostAsync(anonymous, aps, Sign(secret, aps))).Status(HttpStatusCode.OK)));
        var failed = await FileRowAsync(own, secondId);
        Assert.Equal(FileStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrEmpty(failed.Error));

        // Stale and future callbacks (beyond the minute of tolerance this app has): 400, nothing changed.
        var before = await FileRowAsync(own, secondId);
        var receipts = await ReceiptsAsync(own);
        foreach (var at in new[] { DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5) })
        {
            var odd = Document(secondUrn, "success", at);
            await (await PostAsync(anonymous, odd, Sign(secret, odd))).ErrorAsync(HttpStatusCode.BadRequest, "BAD_REQUEST");
        }
        var after = await FileRowAsync(own, secondId);
        Assert.Equal((before.Status, before.StatusAt), (after.Status, after.StatusAt));
        Assert.Equal(receipts, await ReceiptsAsync(own));

        // Malformed JSON, or JSON of neither shape, signed: 422 with the document's error shape.
        const string malformed = "{\"urn\": \"abc\", \"status\": ";
        await (await PostAsync(anonymous, malformed, Sign(secret, malformed))).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        var shapeless = JsonSerializer.Serialize(new { urn = secondUrn, progress = "complete" });
        var invalid = await (await PostAsync(anonymous, shapeless, Sign(secret, shapeless))).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        Assert.NotEmpty(invalid.GetProperty("errors").EnumerateArray());
        Assert.Equal(receipts, await ReceiptsAsync(own));

        // An unknown URN is received and changes nothing.
        var unknown = Document(Scanport.ApsCloud.ApsUrns.Encode("urn:adsk.objects:os.object:no-such-bucket/model.obj"), "success", DateTimeOffset.UtcNow);
        Assert.Equal((true, false, 0), Receipt(await (await PostAsync(anonymous, unknown, Sign(secret, unknown))).Status(HttpStatusCode.OK)));
        Assert.Equal(FileStatus.Failed, (await FileRowAsync(own, secondId)).Status);
        Assert.Equal(FileStatus.Ready, (await FileRowAsync(own, firstId)).Status);
    }

    [Fact]
    public async Task Without_a_configured_secret_the_generated_one_signs_and_is_kept_encrypted()
    {
        using var scope = app.Services.CreateScope();
        var secret = await scope.ServiceProvider.GetRequiredService<TranslationHooks>().SecretAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var stored = await db.Set<ApsiSecret>().SingleAsync(s => s.Name == "webhook");
        Assert.DoesNotContain(secret, stored.ProtectedValue, StringComparison.Ordinal);

        using var anonymous = app.Client();
        var news = Document(Scanport.ApsCloud.ApsUrns.Encode("urn:adsk.objects:os.object:nobody-s-bucket/x.ifc"), "success", DateTimeOffset.UtcNow);
        Assert.Equal((true, false, 0), Receipt(await (await PostAsync(anonymous, news, Sign(secret, news))).Status(HttpStatusCode.OK)));
        await (await PostAsync(anonymous, news, Sign("not-the-secret", news))).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
    }

    private static Task<ScanportApp> OwnAppAsync(string secret) => ScanportApp.StartAsync(new Dictionary<string, string>
    {
        ["Surfaces:Aps:WebhookSecret"] = secret,
        ["Surfaces:Aps:WebhookTolerance"] = "00:01:00",
    });

    private static string Document(string urn, string status, DateTimeOffset at, string progress = "complete") =>
        JsonSerializer.Serialize(new { urn, status, progress, timestamp = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) });

    public static string Sign(string secret, string body) =>
        "sha1hash=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Hook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("x-adsk-signature", signature);
        return await client.SendAsync(request);
    }

    private static (bool Received, bool Duplicate, int Updated) Receipt(JsonElement body) =>
        (body.GetProperty("received").GetBoolean(), body.GetProperty("duplicate").GetBoolean(), body.GetProperty("updated").GetInt32());

    internal static async Task<ApsiFile> FileRowAsync(ScanportApp app, long id)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<ApsiFile>().AsNoTracking().SingleAsync(f => f.Number == id);
    }

    private static async Task<int> ReceiptsAsync(ScanportApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<ApsiWebhookReceipt>().CountAsync();
    }
}
