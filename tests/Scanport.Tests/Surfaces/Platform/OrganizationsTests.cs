using System.Net;
using System.Net.Http.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class OrganizationsTests(ScanportApp app)
{
    private const string Organizations = $"{PlatformCalls.Base}/organizations";
    private const string Current = $"{Organizations}/current";

    [Fact]
    public async Task Installation_admins_create_an_organization_with_its_first_admin()
    {
        using var installation = app.Client(await app.AdminTokenAsync());
        var name = $"org-{Guid.NewGuid():N}";
        var email = $"first-{Guid.NewGuid():N}@tenant.test";

        var response = await installation.PostAsJsonAsync(Organizations,
            new { name = $" {name} ", admin_email = email, admin_password = "first-admin-password", open_enrollment = true });

        var org = await response.Status(HttpStatusCode.Created);
        Assert.Equal($"{Organizations}/{org.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(["admin_id", "created_at", "id", "name", "open_enrollment"], org.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(name, org.GetProperty("name").GetString());
        Assert.True(org.GetProperty("open_enrollment").GetBoolean());
        using var admin = app.Client(await app.TokenAsync(email, "first-admin-password"));
        var me = await (await admin.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal(org.GetProperty("admin_id").GetGuid(), me.Id());
        Assert.Equal(org.Id(), me.GetProperty("org_id").GetGuid());
        Assert.Equal(name, me.GetProperty("org_name").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Tenant_admins_cannot_create_organizations()
    {
        var tenant = await app.NewTenantAsync();
        var (_, keySecret) = await tenant.ApiKeyAsync("admin");
        using var admin = tenant.Admin();
        using var key = app.Client(keySecret);
        var request = new { name = $"org-{Guid.NewGuid():N}", admin_email = $"x-{Guid.NewGuid():N}@tenant.test", admin_password = "first-admin-password" };

        await (await admin.PostAsJsonAsync(Organizations, request)).Problem(HttpStatusCode.Forbidden);
        await (await key.PostAsJsonAsync(Organizations, request)).Problem(HttpStatusCode.Forbidden);
        await (await app.PostTokenAsync(("grant_type", "password"), ("username", request.admin_email), ("password", request.admin_password)))
            .OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Organization_names_and_admin_emails_must_be_new()
    {
        var tenant = await app.NewTenantAsync();
        using var installation = app.Client(await app.AdminTokenAsync());
        var taken = await (await installation.GetAsync($"{Organizations}?limit=1")).Status(HttpStatusCode.OK);
        var takenName = taken.GetProperty("items")[0].GetProperty("name").GetString();

        await (await installation.PostAsJsonAsync(Organizations,
            new { name = takenName, admin_email = $"x-{Guid.NewGuid():N}@tenant.test", admin_password = "first-admin-password" })).Problem(HttpStatusCode.Conflict);
        await (await installation.PostAsJsonAsync(Organizations,
            new { name = $"org-{Guid.NewGuid():N}", admin_email = tenant.AdminEmail, admin_password = "first-admin-password" })).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Organization_requests_name_the_fields_that_are_wrong()
    {
        using var installation = app.Client(await app.AdminTokenAsync());

        var response = await installation.PostAsJsonAsync(Organizations, new { admin_email = "not-an-email", admin_password = "short" });

        await response.Invalid("name", "admin_email", "admin_password");
    }

    [Fact]
    public async Task Tenant_admins_list_only_their_own_organization()
    {
        var tenant = await app.NewTenantAsync();
        await app.NewTenantAsync();
        using var admin = tenant.Admin();
        using var installation = app.Client(await app.AdminTokenAsync());

        var own = await (await admin.GetAsync(Organizations)).Status(HttpStatusCode.OK);
        var all = await (await installation.GetAsync(Organizations)).Status(HttpStatusCode.OK);

        Assert.Equal([tenant.OrgId], own.ItemIds());
        Assert.Equal(1, own.GetProperty("total").GetInt32());
        Assert.False(own.GetProperty("items")[0].TryGetProperty("admin_id", out _));
        Assert.True(all.GetProperty("total").GetInt32() >= 3);
    }

    [Fact]
    public async Task Patch_current_toggles_open_enrollment()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        using var otherAdmin = other.Admin();

        var opened = await (await admin.PatchAsJsonAsync(Current, new { open_enrollment = true })).Status(HttpStatusCode.OK);
        Assert.Equal(tenant.OrgId, opened.Id());
        Assert.True(opened.GetProperty("open_enrollment").GetBoolean());
        Assert.True((await (await admin.GetAsync(Organizations)).Status(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("open_enrollment").GetBoolean());
        Assert.False((await (await otherAdmin.GetAsync(Organizations)).Status(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("open_enrollment").GetBoolean());

        var unchanged = await (await admin.PatchAsJsonAsync(Current, new { })).Status(HttpStatusCode.OK);
        Assert.True(unchanged.GetProperty("open_enrollment").GetBoolean());
        var closed = await (await admin.PatchAsJsonAsync(Current, new { open_enrollment = false })).Status(HttpStatusCode.OK);
        Assert.False(closed.GetProperty("open_enrollment").GetBoolean());
    }

    [Fact]
    public async Task Non_admins_cannot_see_or_change_the_organization()
    {
        var tenant = await app.NewTenantAsync();
        var (_, token) = await tenant.UserAsync("operator");
        using var op = app.Client(token);

        await (await op.PatchAsJsonAsync(Current, new { open_enrollment = true })).Problem(HttpStatusCode.Forbidden);
        await (await op.GetAsync(Organizations)).Problem(HttpStatusCode.Forbidden);
        using var admin = tenant.Admin();
        Assert.False((await (await admin.GetAsync(Organizations)).Status(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("open_enrollment").GetBoolean());
    }
}
