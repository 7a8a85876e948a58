using System.Net;
using System.Net.Http.Json;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Vehicle360;

namespace Scanport.Tests.Identity;

/// <summary>A token does not outlive its principal: deleted, demoted, re-passworded, revoked principals stop at once.</summary>
[Collection(AppCollection.Name)]
public sealed class RevocationTests(ScanportApp app)
{
    private const string Keys = $"{PlatformCalls.Base}/api-keys";

    [Fact]
    public async Task A_deleted_admins_token_creates_nothing()
    {
        var tenant = await app.NewTenantAsync();
        var (adminId, token) = await tenant.UserAsync("admin");
        using var doomed = app.Client(token);
        await (await doomed.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        using var admin = tenant.Admin();
        await (await admin.DeleteAsync($"{PlatformCalls.Users}/{adminId}")).Status(HttpStatusCode.NoContent);

        await (await doomed.PostAsJsonAsync(Keys, new { name = "backdoor", role = "admin" })).Problem(HttpStatusCode.Unauthorized);
        await (await doomed.PostAsJsonAsync(PlatformCalls.Users, new { email = PlatformCalls.NewEmail(), role = "admin", password = "long-enough-password" }))
            .Problem(HttpStatusCode.Unauthorized);
        await (await doomed.PostAsJsonAsync("/api/scan/init", new { sessionId = "s" })).Status(HttpStatusCode.Unauthorized);
        Assert.Equal(0, (await (await admin.GetAsync(Keys)).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_demoted_admins_token_stops_and_a_new_one_carries_the_new_role()
    {
        var tenant = await app.NewTenantAsync();
        var email = PlatformCalls.NewEmail();
        using var admin = tenant.Admin();
        var user = await admin.CreateUserAsync(new { email, role = "admin", password = PlatformCalls.UserPassword });
        var token = await app.TokenAsync(email, PlatformCalls.UserPassword);
        using var before = app.Client(token);
        await (await before.GetAsync(Keys)).Status(HttpStatusCode.OK);

        await (await admin.PatchAsJsonAsync($"{PlatformCalls.Users}/{user.Id()}", new { role = "reviewer" })).Status(HttpStatusCode.OK);

        await (await before.PostAsJsonAsync(Keys, new { name = "backdoor", role = "admin" })).Problem(HttpStatusCode.Unauthorized);
        using var after = app.Client(await app.TokenAsync(email, PlatformCalls.UserPassword));
        await (await after.PostAsJsonAsync(Keys, new { name = "backdoor", role = "admin" })).Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_password_change_ends_the_users_earlier_tokens()
    {
        var tenant = await app.NewTenantAsync();
        var email = PlatformCalls.NewEmail();
        using var admin = tenant.Admin();
        var user = await admin.CreateUserAsync(new { email, role = "operator", password = PlatformCalls.UserPassword });
        using var old = app.Client(await app.TokenAsync(email, PlatformCalls.UserPassword));
        await (await old.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);

        await (await admin.PatchAsJsonAsync($"{PlatformCalls.Users}/{user.Id()}", new { password = "a-brand-new-password" })).Status(HttpStatusCode.OK);

        await (await old.GetAsync($"{PlatformCalls.Base}/me")).Problem(HttpStatusCode.Unauthorized);
        using var fresh = app.Client(await app.TokenAsync(email, "a-brand-new-password"));
        await (await fresh.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_revoked_keys_minted_token_stops_at_once()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync("admin");
        var minted = await app.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", secret));
        var token = (await minted.Status(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
        using var asKey = app.Client(token);
        await (await asKey.GetAsync(Keys)).Status(HttpStatusCode.OK);
        using var admin = tenant.Admin();

        await (await admin.DeleteAsync($"{Keys}/{keyId}")).Status(HttpStatusCode.NoContent);

        await (await asKey.PostAsJsonAsync(Keys, new { name = "forever", role = "admin" })).Problem(HttpStatusCode.Unauthorized);
        await (await asKey.PostAsJsonAsync(PlatformCalls.Users, new { email = PlatformCalls.NewEmail(), role = "admin" })).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Devices_are_listed_and_a_revoked_devices_token_and_renewal_stop()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (deviceId, token) = await tenant.DeviceAsync(site);
        using var admin = tenant.Admin();
        var listed = await (await admin.GetAsync($"{PlatformCalls.Base}/devices")).Status(HttpStatusCode.OK);
        var entry = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(deviceId, entry.Id());
        Assert.Equal(site, entry.GetProperty("site_id").GetGuid());
        using var device = app.Client(token);
        await (await device.PostAsJsonAsync("/api/scan/init", new { sessionId = "s" })).Status(HttpStatusCode.Created);

        await (await admin.DeleteAsync($"{PlatformCalls.Base}/devices/{deviceId}")).Status(HttpStatusCode.NoContent);

        await (await device.PostAsJsonAsync("/api/scan/init", new { sessionId = "s" })).Status(HttpStatusCode.Unauthorized);
        // Self-renewal with the revoked token is an enrollment without a code: refused, and no device is made.
        await (await device.PostAsJsonAsync("/v1/auth/device", V360Calls.DeviceBody(tenant.OrgId))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        var after = await (await admin.GetAsync($"{PlatformCalls.Base}/devices")).Status(HttpStatusCode.OK);
        Assert.NotNull(Assert.Single(after.GetProperty("items").EnumerateArray()).GetProperty("revoked_at").GetString());
        await (await device.GetAsync($"{PlatformCalls.Base}/devices")).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Devices_enroll_with_codes_of_the_installations_own_organization()
    {
        using var admin = app.Client(await app.AdminTokenAsync());
        var orgId = (await (await admin.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK)).GetProperty("org_id").GetGuid();
        var code = (await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/devices/enrollment-codes", new { }))
            .Status(HttpStatusCode.Created)).GetProperty("code").GetString();

        var enrolled = await (await app.Client().PostAsJsonAsync("/v1/auth/device", V360Calls.DeviceBody(orgId, code))).Status(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(enrolled.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task A_token_in_the_query_string_counts_only_where_the_README_allows_it()
    {
        var tenant = await app.NewTenantAsync();
        using var anonymous = app.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{PlatformCalls.Base}/me?access_token={tenant.AdminToken}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        await (await anonymous.SendAsync(request)).Problem(HttpStatusCode.Unauthorized);

        using var admin = tenant.Admin();
        var scan = (await (await admin.PostAsJsonAsync("/api/scan/init", new { sessionId = "s" })).Status(HttpStatusCode.Created)).GetProperty("scanId").GetString();
        var stream = new HttpRequestMessage(HttpMethod.Get, $"/api/scan/status/stream?scanId={scan}&access_token={tenant.AdminToken}");
        stream.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await anonymous.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
