using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Surfaces.ApsIntegration;
using Scanport.Tests.ApsCloud;
using Scanport.Tests.Surfaces.Aps;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// The surface on Autodesk's cloud (the stand-in, <c>Aps:BaseUrl</c> with the application's <c>Aps:ClientId</c> and
/// <c>Aps:ClientSecret</c>): projects' buckets made there, uploads, translations with the surface's hooks, Autodesk's viewer
/// configuration, the three-legged flow with Autodesk's authorize page, and the cloud's failures in the document's shape.
/// </summary>
public sealed class AutodeskCloudTests : IAsyncLifetime
{
    private AutodeskStandIn _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AutodeskStandIn.StartAsync();

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    [Fact]
    public async Task Projects_files_translations_and_the_viewer_are_Autodesk_s()
    {
        await WithAppAsync(AutodeskStandIn.ClientSecret, async app =>
        {
            var (_, client) = await app.UserAsync();
            var project = await client.ProjectAsync("Torre Autodesk");
            var bucketKey = project.GetProperty("bucket_key").GetString()!;
            Assert.Contains(bucketKey, _cloud.Buckets);
            var bucket = (await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray().Single();
            Assert.Equal((bucketKey, AutodeskStandIn.ClientId), (bucket.GetProperty("bucket_key").GetString(), bucket.GetProperty("bucket_owner").GetString()));

            // A bucket key another application has at Autodesk: 409, and nothing stored.
            await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = AutodeskStandIn.TakenBucket, policy = "transient" }))
                .ErrorAsync(HttpStatusCode.Conflict, "BUCKET_ALREADY_EXISTS");
            Assert.Single((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());

            // A file type Autodesk's formats do not list: 415 before anything is uploaded.
            var parts = _cloud.HitsUnder("PUT", "/s3/");
            await (await client.UploadAsync(project.GetProperty("id").GetInt64(), [1, 2, 3], "notas.xyz")).ErrorAsync(HttpStatusCode.UnsupportedMediaType, "FILE_TYPE_NOT_SUPPORTED");
            Assert.Equal(parts, _cloud.HitsUnder("PUT", "/s3/"));

            var file = await (await client.UploadModelAsync(project.GetProperty("id").GetInt64(), "house.obj")).Status(HttpStatusCode.Created);
            var urn = file.GetProperty("urn").GetString()!;
            Assert.Equal($"urn:adsk.objects:os.object:{bucketKey}/house.obj", Scanport.ApsCloud.ApsUrns.Decode(urn));
            Assert.True(_cloud.HitsUnder("PUT", "/s3/") > parts);

            var config = await (await client.GetAsync($"{Base}/viewer/config/{urn}")).Status(HttpStatusCode.OK);
            Assert.Equal(("streamingV2", "AutodeskProduction2"), (config.GetProperty("api").GetString(), config.GetProperty("env").GetString()));
            Assert.Equal(["Autodesk.DocumentBrowser", "Autodesk.Measure"], config.GetProperty("options").GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
            Assert.False(config.TryGetProperty("url", out _));
            Assert.StartsWith("token-", config.GetProperty("access_token").GetString());
            var token = await (await client.GetAsync($"{Base}/viewer/token")).Status(HttpStatusCode.OK);
            Assert.StartsWith("token-", token.GetProperty("access_token").GetString());
            Assert.Equal(3599, token.GetProperty("expires_in").GetInt64(), tolerance: 5);

            // The translation: the hooks and their secret set at Autodesk first, then the job; the status read from the manifest.
            await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);
            var callback = new Uri(app.BaseAddress, $"{Base}/webhooks/translation-status").ToString();
            Assert.Equal(
                [("extraction.finished", callback, TranslationHooks.Workflow), ("extraction.updated", callback, TranslationHooks.Workflow)],
                _cloud.Hooks.OrderBy(h => h.Event).Select(h => (h.Event, h.CallbackUrl, h.Workflow)));
            using (var scope = app.Services.CreateScope())
                Assert.Equal(await scope.ServiceProvider.GetRequiredService<TranslationHooks>().SecretAsync(CancellationToken.None), _cloud.WebhookSecret);
            var status = await (await client.GetAsync($"{Base}/aps/translate/{urn}/status")).Status(HttpStatusCode.OK);
            Assert.Equal(("success", "complete"), (status.GetProperty("status").GetString(), status.GetProperty("progress").GetString()));
            var ready = await client.WaitForFileAsync(file.GetProperty("id").GetInt64());
            Assert.Equal("ready", ready.GetProperty("status").GetString());
            var metadata = await (await client.GetAsync($"{Base}/aps/models/{urn}/metadata")).Status(HttpStatusCode.OK);
            Assert.Equal(["Walls", "Floors"], metadata.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

            // A second translation registers no hooks again.
            await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);
            Assert.Equal(2, _cloud.Hooks.Count);
        });
    }

    [Fact]
    public async Task The_three_legged_flow_goes_through_Autodesk_s_authorize_page()
    {
        await WithAppAsync(AutodeskStandIn.ClientSecret, async app =>
        {
            var (email, client) = await app.UserAsync();
            var (url, state) = await AuthUrlAsync(client);
            Assert.Equal(new Uri(_cloud.BaseAddress, "/authentication/v2/authorize").ToString(), url.GetLeftPart(UriPartial.Path));
            var query = ApsClient.Query(url);
            Assert.Equal((AutodeskStandIn.ClientId, "S256"), (query["client_id"], query["code_challenge_method"]));
            Assert.Equal(new Uri(app.BaseAddress, $"{Base}/auth/aps/callback").ToString(), query["redirect_uri"]);

            var exchanged = await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = AutodeskStandIn.GoodCode, state })).Status(HttpStatusCode.OK);
            Assert.Equal("Autorización de APS procesada correctamente", exchanged.GetProperty("message").GetString());
            var profile = await (await client.GetAsync($"{Base}/auth/aps/profile")).Status(HttpStatusCode.OK);
            Assert.Equal(AutodeskStandIn.UserEmail, profile.GetProperty("profile").GetProperty("email").GetString());

            // Stored encrypted; refreshed once expired, the refresh token rotated at Autodesk.
            var before = await TokensAsync(app, email);
            Assert.StartsWith("token-", before.Access);
            Assert.StartsWith("refresh-", before.Refresh);
            Assert.DoesNotContain(before.Access, before.Row.ProtectedAccessToken, StringComparison.Ordinal);
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
                await db.Set<ApsiUserToken>().Where(t => t.UserId == before.Row.UserId)
                    .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
            }
            Assert.Equal(AutodeskStandIn.UserEmail, (await (await client.GetAsync($"{Base}/auth/aps/profile")).Status(HttpStatusCode.OK))
                .GetProperty("profile").GetProperty("email").GetString());
            var after = await TokensAsync(app, email);
            Assert.NotEqual(before.Access, after.Access);
            Assert.NotEqual(before.Refresh, after.Refresh);
            Assert.True(after.Row.ExpiresAt > DateTimeOffset.UtcNow);

            // A code Autodesk refuses: 400; the same while Autodesk is down: 502. The tokens stay as they were.
            (_, state) = await AuthUrlAsync(client);
            await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = "expired-code", state })).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");
            (_, state) = await AuthUrlAsync(client);
            await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = "code-while-unavailable", state })).ErrorAsync(HttpStatusCode.BadGateway, "APS_API_ERROR");
            Assert.Equal(after.Row.ProtectedAccessToken, (await TokensAsync(app, email)).Row.ProtectedAccessToken);

            // The browser's way back from Autodesk, with the state alone saying whose it is.
            (_, state) = await AuthUrlAsync(client);
            using var browser = app.Client();
            await (await browser.GetAsync($"{Base}/auth/aps/callback?code={AutodeskStandIn.GoodCode}&state={Uri.EscapeDataString(state)}")).Status(HttpStatusCode.OK);
            (_, state) = await AuthUrlAsync(client);
            await (await browser.GetAsync($"{Base}/auth/aps/callback?error=access_denied&state={Uri.EscapeDataString(state)}")).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");
        });
    }

    [Fact]
    public async Task A_wrong_client_secret_is_a_502_in_the_document_s_shape_and_leaves_nothing_behind()
    {
        await WithAppAsync("not-the-secret", async app =>
        {
            var (_, client) = await app.UserAsync();
            await (await client.PostAsJsonAsync($"{Base}/projects", new { name = "Sin credenciales" })).ErrorAsync(HttpStatusCode.BadGateway, "APS_AUTH_FAILED");
            Assert.Equal(0, (await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
            Assert.Empty(_cloud.Buckets);
            await (await client.GetAsync($"{Base}/viewer/token")).ErrorAsync(HttpStatusCode.BadGateway, "APS_AUTH_FAILED");
            await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = "sin-credenciales" })).ErrorAsync(HttpStatusCode.BadGateway, "APS_AUTH_FAILED");

            // Even a good code cannot be exchanged: it is this server's credentials that are refused, not the user's code.
            var (_, state) = await AuthUrlAsync(client);
            await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = AutodeskStandIn.GoodCode, state }))
                .ErrorAsync(HttpStatusCode.BadGateway, "APS_AUTH_FAILED");
            await (await client.GetAsync($"{Base}/auth/aps/profile")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        });
    }

    [Fact]
    public async Task A_refresh_refused_for_the_server_s_credentials_keeps_the_user_s_authorization()
    {
        await WithAppAsync(AutodeskStandIn.ClientSecret, async app =>
        {
            var (email, client) = await app.UserAsync();
            var (_, state) = await AuthUrlAsync(client);
            await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = AutodeskStandIn.GoodCode, state })).Status(HttpStatusCode.OK);
            var before = await TokensAsync(app, email);
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
                await db.Set<ApsiUserToken>().Where(t => t.UserId == before.Row.UserId)
                    .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
            }

            // Another node, misconfigured with a wrong secret: its refresh is refused for its own credentials, a 502, and the
            // user's tokens stay for a node that has the right ones.
            var misconfigured = await app.StartAnotherNodeAsync(Settings("not-the-secret"));
            try
            {
                using var there = misconfigured.Client(await LoginAsync(misconfigured, email, Password));
                await (await there.GetAsync($"{Base}/auth/aps/profile")).ErrorAsync(HttpStatusCode.BadGateway, "APS_AUTH_FAILED");
            }
            finally
            {
                await ((IAsyncLifetime)misconfigured).DisposeAsync();
            }
            Assert.Equal(before.Row.ProtectedRefreshToken, (await TokensAsync(app, email)).Row.ProtectedRefreshToken);
            Assert.Equal(AutodeskStandIn.UserEmail, (await (await client.GetAsync($"{Base}/auth/aps/profile")).Status(HttpStatusCode.OK))
                .GetProperty("profile").GetProperty("email").GetString());
            Assert.NotEqual(before.Refresh, (await TokensAsync(app, email)).Refresh);
        });
    }

    [Fact]
    public async Task The_application_s_registered_callback_URL_is_the_redirect_when_set()
    {
        const string registered = "https://scanport.example/aps/api/v1/auth/aps/callback";
        await WithAppAsync(AutodeskStandIn.ClientSecret, async app =>
        {
            var (_, client) = await app.UserAsync();
            var (url, state) = await AuthUrlAsync(client);
            Assert.Equal(registered, ApsClient.Query(url)["redirect_uri"]);
            await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = AutodeskStandIn.GoodCode, state })).Status(HttpStatusCode.OK);
        }, new() { ["Aps:CallbackUrl"] = registered });
    }

    private Dictionary<string, string> Settings(string secret) => new()
    {
        ["Aps:BaseUrl"] = _cloud.BaseAddress.ToString(),
        ["Aps:ClientId"] = AutodeskStandIn.ClientId,
        ["Aps:ClientSecret"] = secret,
        ["Aps:MaxAttempts"] = "2",
        ["Aps:RetryBaseDelay"] = "00:00:00.050",
        ["Aps:MaxRetryDelay"] = "00:00:01",
        ["Aps:RequestTimeout"] = "00:00:10",
    };

    private async Task WithAppAsync(string secret, Func<ScanportApp, Task> test, Dictionary<string, string>? more = null)
    {
        var settings = Settings(secret);
        foreach (var (key, value) in more ?? []) settings[key] = value;
        var app = await ScanportApp.StartAsync(settings);
        try
        {
            await test(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task<(Uri Url, string State)> AuthUrlAsync(HttpClient client)
    {
        var url = new Uri((await (await client.GetAsync($"{Base}/auth/aps/auth-url")).Status(HttpStatusCode.OK)).GetProperty("auth_url").GetString()!);
        return (url, ApsClient.Query(url)["state"]);
    }

    private static async Task<(ApsiUserToken Row, string Access, string Refresh)> TokensAsync(ScanportApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var row = await db.Set<ApsiUserToken>().AsNoTracking().SingleAsync(t => t.UserId == userId);
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Scanport.ApsIntegration.UserToken.v1");
        return (row, protector.Unprotect(row.ProtectedAccessToken), protector.Unprotect(row.ProtectedRefreshToken!));
    }
}
