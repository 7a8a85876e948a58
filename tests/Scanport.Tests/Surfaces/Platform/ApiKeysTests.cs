using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class ApiKeysTests(ScanportApp app)
{
    private const string Keys = $"{PlatformCalls.Base}/api-keys";
    private const string MeUrl = $"{PlatformCalls.Base}/me";

    [Fact]
    public async Task Creating_a_key_shows_its_secret_once()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var response = await admin.PostAsJsonAsync(Keys, new { name = " CI uploader ", role = "operator" });

        var key = await response.Status(HttpStatusCode.Created);
        Assert.Equal($"{Keys}/{key.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(["created_at", "expires_at", "id", "name", "redirect_uris", "revoked_at", "role", "secret"], key.EnumerateObject().Select(p => p.Name).Order());
        Assert.Empty(key.GetProperty("redirect_uris").EnumerateArray());
        Assert.Equal("CI uploader", key.GetProperty("name").GetString());
        Assert.Equal("operator", key.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("expires_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, key.GetProperty("revoked_at").ValueKind);
        Assert.StartsWith($"spk_{key.Id():N}_", key.GetProperty("secret").GetString());

        var list = await (await admin.GetAsync(Keys)).Status(HttpStatusCode.OK);
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(key.Id(), listed.Id());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.DoesNotContain(key.GetProperty("secret").GetString()!, list.ToString());
    }

    [Fact]
    public async Task A_key_keeps_the_redirect_uris_it_is_given_for_the_aps_sign_in()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        string[] uris = ["https://app.example/callback", "http://127.0.0.1:8080/cb"];

        var key = await (await admin.PostAsJsonAsync(Keys, new { name = "APS app", role = "operator", redirect_uris = uris })).Status(HttpStatusCode.Created);
        var refused = await (await admin.PostAsJsonAsync(Keys, new { name = "bad", role = "operator", redirect_uris = new[] { "/relative", "https://a.example/#frag" } }))
            .Status(HttpStatusCode.BadRequest);

        Assert.Equal(uris, key.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        var listed = Assert.Single((await (await admin.GetAsync(Keys)).Status(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(uris, listed.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        Assert.True(refused.GetProperty("errors").TryGetProperty("redirect_uris", out _), refused.ToString());
    }

    [Fact]
    public async Task The_secret_works_as_a_bearer_token()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync("reviewer");
        using var client = app.Client(secret);

        var me = await (await client.GetAsync(MeUrl)).Status(HttpStatusCode.OK);

        Assert.Equal("api_key", me.GetProperty("kind").GetString());
        Assert.Equal(keyId, me.Id());
        Assert.Equal(tenant.OrgId, me.GetProperty("org_id").GetGuid());
        Assert.Equal("reviewer", me.GetProperty("role").GetString());
        Assert.Equal("key-reviewer", me.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("email").ValueKind);
    }

    [Fact]
    public async Task A_key_acts_with_its_role()
    {
        var tenant = await app.NewTenantAsync();
        var (_, adminSecret) = await tenant.ApiKeyAsync("admin");
        var (_, reviewerSecret) = await tenant.ApiKeyAsync("reviewer");
        using var adminKey = app.Client(adminSecret);
        using var reviewerKey = app.Client(reviewerSecret);

        await (await adminKey.GetAsync($"{PlatformCalls.Base}/users")).Status(HttpStatusCode.OK);
        await (await reviewerKey.GetAsync($"{PlatformCalls.Base}/users")).Problem(HttpStatusCode.Forbidden);
        await (await reviewerKey.GetAsync(Keys)).Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Revoking_a_key_stops_its_secret()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync();
        using var admin = tenant.Admin();
        using var client = app.Client(secret);
        await (await client.GetAsync(MeUrl)).Status(HttpStatusCode.OK);

        await (await admin.DeleteAsync($"{Keys}/{keyId}")).Status(HttpStatusCode.NoContent);

        await (await client.GetAsync(MeUrl)).Problem(HttpStatusCode.Unauthorized);
        var listed = Assert.Single((await (await admin.GetAsync(Keys)).Status(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revoked_at").ValueKind);
        await (await admin.DeleteAsync($"{Keys}/{keyId}")).Status(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_key_past_its_expiry_is_refused()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var expiresAt = TimeProvider.System.GetUtcNow().AddSeconds(2);
        var key = await (await admin.PostAsJsonAsync(Keys, new { name = "short-lived", role = "admin", expires_at = expiresAt })).Status(HttpStatusCode.Created);
        Assert.Equal(expiresAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), key.GetProperty("expires_at").GetString());
        using var client = app.Client(key.GetProperty("secret").GetString());

        await Task.Delay(expiresAt - TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(500));

        await (await client.GetAsync(MeUrl)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_organizations_key_is_not_found_and_keeps_working()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var (foreignId, foreignSecret) = await other.ApiKeyAsync();
        using var admin = tenant.Admin();

        await (await admin.DeleteAsync($"{Keys}/{foreignId}")).Problem(HttpStatusCode.NotFound);
        Assert.Empty((await (await admin.GetAsync(Keys)).Status(HttpStatusCode.OK)).ItemIds());

        using var foreign = app.Client(foreignSecret);
        await (await foreign.GetAsync(MeUrl)).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Key_requests_are_validated()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        await (await admin.PostAsJsonAsync(Keys, new { role = "admin" })).Invalid("name");
        await (await admin.PostAsJsonAsync(Keys, new { name = "k", role = "device" })).Invalid("role");
        await (await admin.PostAsJsonAsync(Keys, new { name = new string('k', 201), expires_at = TimeProvider.System.GetUtcNow().AddDays(-1) }))
            .Invalid("name", "role", "expires_at");
        Assert.Empty((await (await admin.GetAsync(Keys)).Status(HttpStatusCode.OK)).ItemIds());
    }

    [Fact]
    public async Task Non_admins_cannot_manage_keys()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, _) = await tenant.ApiKeyAsync();
        var (_, token) = await tenant.UserAsync("operator");
        using var op = app.Client(token);

        await (await op.PostAsJsonAsync(Keys, new { name = "mine", role = "admin" })).Problem(HttpStatusCode.Forbidden);
        await (await op.GetAsync(Keys)).Problem(HttpStatusCode.Forbidden);
        await (await op.DeleteAsync($"{Keys}/{keyId}")).Problem(HttpStatusCode.Forbidden);
    }
}
