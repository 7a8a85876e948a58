using System.Net;
using System.Net.Http.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class SitesTests(ScanportApp app)
{
    private const string Sites = $"{PlatformCalls.Base}/sites";

    [Fact]
    public async Task Admin_creates_lists_gets_and_deletes_a_site()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var response = await admin.PostAsJsonAsync(Sites, new { name = " Studio North ", timezone = "Europe/Berlin" });

        var site = await response.Status(HttpStatusCode.Created);
        Assert.Equal($"{Sites}/{site.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(["created_at", "id", "name", "org_id", "timezone"], site.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(tenant.OrgId, site.GetProperty("org_id").GetGuid());
        Assert.Equal("Studio North", site.GetProperty("name").GetString());
        Assert.Equal("Europe/Berlin", site.GetProperty("timezone").GetString());

        var list = await (await admin.GetAsync(Sites)).Status(HttpStatusCode.OK);
        Assert.Equal([site.Id()], list.ItemIds());
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var fetched = await (await admin.GetAsync($"{Sites}/{site.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(site.ToString(), fetched.ToString());

        await (await admin.DeleteAsync($"{Sites}/{site.Id()}")).Status(HttpStatusCode.NoContent);
        await (await admin.GetAsync($"{Sites}/{site.Id()}")).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"{Sites}/{site.Id()}")).Problem(HttpStatusCode.NotFound);
        Assert.Empty((await (await admin.GetAsync(Sites)).Status(HttpStatusCode.OK)).ItemIds());
    }

    [Fact]
    public async Task A_site_without_a_time_zone_has_none()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var site = await (await admin.PostAsJsonAsync(Sites, new { name = "Lot 7" })).Status(HttpStatusCode.Created);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, site.GetProperty("timezone").ValueKind);
    }

    [Fact]
    public async Task Site_names_are_unique_within_an_organization_only()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        using var otherAdmin = other.Admin();
        await (await admin.PostAsJsonAsync(Sites, new { name = "North" })).Status(HttpStatusCode.Created);

        await (await admin.PostAsJsonAsync(Sites, new { name = "North" })).Problem(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync(Sites, new { name = "  North  " })).Problem(HttpStatusCode.Conflict);
        await (await otherAdmin.PostAsJsonAsync(Sites, new { name = "North" })).Status(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_make_one_site_and_conflicts()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => admin.PostAsJsonAsync(Sites, new { name = "Twice" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created)) await conflict.Problem(HttpStatusCode.Conflict);
        Assert.Equal(1, (await (await admin.GetAsync(Sites)).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_site_needs_a_name_and_a_real_time_zone()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        await (await admin.PostAsJsonAsync(Sites, new { timezone = "UTC" })).Invalid("name");
        await (await admin.PostAsJsonAsync(Sites, new { name = "   " })).Invalid("name");
        await (await admin.PostAsJsonAsync(Sites, new { name = new string('s', 201) })).Invalid("name");
        await (await admin.PostAsJsonAsync(Sites, new { name = "Mars base", timezone = "Mars/Olympus_Mons" })).Invalid("timezone");
        Assert.Equal(0, (await (await admin.GetAsync(Sites)).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Users_restricted_to_sites_see_only_those()
    {
        var tenant = await app.NewTenantAsync();
        var (mine, theirs) = (await tenant.SiteAsync("A mine"), await tenant.SiteAsync("B theirs"));
        var (_, operatorToken) = await tenant.UserAsync("operator", mine);
        var (_, unassignedToken) = await tenant.UserAsync("reviewer");
        using var op = app.Client(operatorToken);
        using var unassigned = app.Client(unassignedToken);
        using var admin = tenant.Admin();

        var list = await (await op.GetAsync(Sites)).Status(HttpStatusCode.OK);

        Assert.Equal([mine], list.ItemIds());
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        await (await op.GetAsync($"{Sites}/{mine}")).Status(HttpStatusCode.OK);
        await (await op.GetAsync($"{Sites}/{theirs}")).Problem(HttpStatusCode.NotFound);
        Assert.Empty((await (await unassigned.GetAsync(Sites)).Status(HttpStatusCode.OK)).ItemIds());
        Assert.Equal(new[] { mine, theirs }.Order(), (await (await admin.GetAsync(Sites)).Status(HttpStatusCode.OK)).ItemIds().Order());
    }

    [Fact]
    public async Task Non_admins_cannot_create_or_delete_sites()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (_, token) = await tenant.UserAsync("operator", site);
        using var op = app.Client(token);

        await (await op.PostAsJsonAsync(Sites, new { name = "Mine now" })).Problem(HttpStatusCode.Forbidden);
        await (await op.DeleteAsync($"{Sites}/{site}")).Problem(HttpStatusCode.Forbidden);
        await (await op.GetAsync($"{Sites}/{site}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_organizations_site_is_not_found()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var foreign = await other.SiteAsync();
        using var admin = tenant.Admin();

        await (await admin.GetAsync($"{Sites}/{foreign}")).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"{Sites}/{foreign}")).Problem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(foreign, (await (await admin.GetAsync(Sites)).Status(HttpStatusCode.OK)).ItemIds());

        using var otherAdmin = other.Admin();
        await (await otherAdmin.GetAsync($"{Sites}/{foreign}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deleting_a_site_takes_it_off_its_users()
    {
        var tenant = await app.NewTenantAsync();
        var (kept, deleted) = (await tenant.SiteAsync(), await tenant.SiteAsync());
        var (userId, _) = await tenant.UserAsync("operator", kept, deleted);
        using var admin = tenant.Admin();

        await (await admin.DeleteAsync($"{Sites}/{deleted}")).Status(HttpStatusCode.NoContent);

        var user = await (await admin.GetAsync($"{PlatformCalls.Base}/users/{userId}")).Status(HttpStatusCode.OK);
        Assert.Equal([kept], user.Guids("site_ids"));
    }
}
