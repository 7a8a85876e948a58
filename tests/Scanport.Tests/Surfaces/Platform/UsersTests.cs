using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class UsersTests(ScanportApp app)
{
    private const string Users = PlatformCalls.Users;
    private const string Password = PlatformCalls.UserPassword;

    [Fact]
    public async Task Admin_creates_a_user_with_sites_and_a_password()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();

        var response = await admin.PostAsJsonAsync(Users, new { email, name = " Olga ", role = "operator", site_ids = new[] { site }, password = Password });

        var user = await response.Status(HttpStatusCode.Created);
        Assert.Equal($"{Users}/{user.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(["created_at", "email", "has_password", "id", "name", "org_id", "role", "site_ids", "updated_at"],
            user.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(tenant.OrgId, user.GetProperty("org_id").GetGuid());
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("Olga", user.GetProperty("name").GetString());
        Assert.Equal("operator", user.GetProperty("role").GetString());
        Assert.Equal([site], user.Guids("site_ids"));
        Assert.True(user.GetProperty("has_password").GetBoolean());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", user.GetProperty("created_at").GetString());

        var fetched = await (await admin.GetAsync($"{Users}/{user.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(user.ToString(), fetched.ToString());
        var token = await app.TokenAsync(email, Password);
        using var client = app.Client(token);
        var me = await (await client.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal(user.Id(), me.Id());
        Assert.Equal([site], me.Guids("site_ids"));
    }

    [Fact]
    public async Task A_user_without_a_password_cannot_sign_in()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();

        var user = await admin.CreateUserAsync(new { email, role = "reviewer" });

        Assert.False(user.GetProperty("has_password").GetBoolean());
        Assert.Empty(user.Guids("site_ids"));
        foreach (var guess in new[] { "", "null", Password })
        {
            var response = await app.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", guess));
            await response.OAuthError(HttpStatusCode.BadRequest, guess.Length == 0 ? "invalid_request" : "invalid_grant");
        }
    }

    [Fact]
    public async Task A_duplicate_email_is_a_conflict_in_any_case_and_in_any_organization()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        using var otherAdmin = other.Admin();
        var email = PlatformCalls.NewEmail();
        await admin.CreateUserAsync(new { email, role = "operator" });

        await (await admin.PostAsJsonAsync(Users, new { email, role = "reviewer" })).Problem(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync(Users, new { email = email.ToUpperInvariant(), role = "reviewer" })).Problem(HttpStatusCode.Conflict);
        await (await otherAdmin.PostAsJsonAsync(Users, new { email, role = "reviewer" })).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_email_make_one_user_and_conflicts()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => admin.PostAsJsonAsync(Users, new { email, role = "operator" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created)) await conflict.Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_bad_email_role_and_short_password_are_each_named()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var response = await admin.PostAsJsonAsync(Users, new { email = "not-an-email", role = "superuser", password = "short" });

        await response.Invalid("email", "role", "password");
        await (await admin.PostAsJsonAsync(Users, new { email = PlatformCalls.NewEmail(), role = "device" })).Invalid("role");
        await (await admin.PostAsJsonAsync(Users, new { role = "operator" })).Invalid("email");
        await (await admin.PostAsJsonAsync(Users, new { email = PlatformCalls.NewEmail(), role = "operator", password = "aaaaaaaaaaaa" })).Invalid("password");
        await (await admin.PostAsJsonAsync(Users, new { email = PlatformCalls.NewEmail(), role = "operator", name = new string('n', 201) })).Invalid("name");
        var list = await (await admin.GetAsync(Users)).Status(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_unknown_site_or_another_organizations_site_is_refused()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var foreignSite = await other.SiteAsync();
        var ownSite = await tenant.SiteAsync();
        using var admin = tenant.Admin();

        await (await admin.PostAsJsonAsync(Users, new { email = PlatformCalls.NewEmail(), role = "operator", site_ids = new[] { Guid.NewGuid() } })).Invalid("site_ids");
        await (await admin.PostAsJsonAsync(Users, new { email = PlatformCalls.NewEmail(), role = "operator", site_ids = new[] { ownSite, foreignSite } })).Invalid("site_ids");

        var user = await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "operator", site_ids = new[] { ownSite } });
        await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { site_ids = new[] { foreignSite } })).Invalid("site_ids");
    }

    [Fact]
    public async Task Users_are_listed_a_page_at_a_time()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var created = new List<Guid> { await tenant.AdminIdAsync() };
        for (var i = 0; i < 3; i++) created.Add((await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "reviewer" })).Id());

        var first = await (await admin.GetAsync($"{Users}?limit=2")).Status(HttpStatusCode.OK);
        var second = await (await admin.GetAsync($"{Users}?limit=2&offset=2")).Status(HttpStatusCode.OK);
        var beyond = await (await admin.GetAsync($"{Users}?limit=2&offset=4")).Status(HttpStatusCode.OK);

        Assert.Equal(["items", "limit", "offset", "total"], first.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal((4, 2, 0), (first.GetProperty("total").GetInt32(), first.GetProperty("limit").GetInt32(), first.GetProperty("offset").GetInt32()));
        Assert.Equal((4, 2, 2), (second.GetProperty("total").GetInt32(), second.GetProperty("limit").GetInt32(), second.GetProperty("offset").GetInt32()));
        Assert.Equal(created.Order(), first.ItemIds().Concat(second.ItemIds()).Order());
        Assert.Empty(beyond.ItemIds());
        Assert.Equal(4, beyond.GetProperty("total").GetInt32());
        var all = await (await admin.GetAsync(Users)).Status(HttpStatusCode.OK);
        Assert.Equal(50, all.GetProperty("limit").GetInt32());
        Assert.Equal(4, all.ItemIds().Length);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task Paging_outside_its_range_is_refused(string query, string field)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        await (await admin.GetAsync($"{Users}?{query}")).Invalid(field);
    }

    [Fact]
    public async Task Paging_that_is_not_a_number_is_a_bad_request()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        await (await admin.GetAsync($"{Users}?limit=ten")).Problem(HttpStatusCode.BadRequest);
        await (await admin.GetAsync($"{Users}?offset=99999999999")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patch_changes_the_role_and_the_sites()
    {
        var tenant = await app.NewTenantAsync();
        var (north, south) = (await tenant.SiteAsync(), await tenant.SiteAsync());
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();
        var user = await admin.CreateUserAsync(new { email, role = "operator", site_ids = new[] { north }, password = Password });

        var patched = await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { role = "reviewer", site_ids = new[] { south } }))
            .Status(HttpStatusCode.OK);

        Assert.Equal("reviewer", patched.GetProperty("role").GetString());
        Assert.Equal([south], patched.Guids("site_ids"));
        Assert.Equal(email, patched.GetProperty("email").GetString());
        Assert.True(patched.GetProperty("has_password").GetBoolean());
        var fetched = await (await admin.GetAsync($"{Users}/{user.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal("reviewer", fetched.GetProperty("role").GetString());
        Assert.Equal([south], fetched.Guids("site_ids"));
        using var client = app.Client(await app.TokenAsync(email, Password));
        var me = await (await client.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal("reviewer", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Patch_that_keeps_a_site_and_adds_another_keeps_both()
    {
        var tenant = await app.NewTenantAsync();
        var (north, south) = (await tenant.SiteAsync(), await tenant.SiteAsync());
        using var admin = tenant.Admin();
        var user = await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "operator", site_ids = new[] { north } });

        var patched = await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { site_ids = new[] { north, south, north } }))
            .Status(HttpStatusCode.OK);

        Assert.Equal(new[] { north, south }.Order(), patched.Guids("site_ids").Order());
        var fetched = await (await admin.GetAsync($"{Users}/{user.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(new[] { north, south }.Order(), fetched.Guids("site_ids").Order());
        var cleared = await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { site_ids = Array.Empty<Guid>() })).Status(HttpStatusCode.OK);
        Assert.Empty(cleared.Guids("site_ids"));
    }

    [Fact]
    public async Task Patch_changes_the_password_and_the_old_one_stops_working()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();
        var user = await admin.CreateUserAsync(new { email, role = "operator", password = Password });

        await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { password = "a-new-password-456" })).Status(HttpStatusCode.OK);

        await app.TokenAsync(email, "a-new-password-456");
        await (await app.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", Password)))
            .OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
        await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { password = "short" })).Invalid("password");
    }

    [Fact]
    public async Task Patch_to_an_email_already_taken_is_a_conflict()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var taken = PlatformCalls.NewEmail();
        await admin.CreateUserAsync(new { email = taken, role = "operator" });
        var user = await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "operator" });

        await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { email = taken.ToUpperInvariant() })).Problem(HttpStatusCode.Conflict);
        await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { email = "nope" })).Invalid("email");

        var renamed = PlatformCalls.NewEmail();
        var patched = await (await admin.PatchAsJsonAsync($"{Users}/{user.Id()}", new { email = renamed })).Status(HttpStatusCode.OK);
        Assert.Equal(renamed, patched.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Delete_removes_the_user()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();
        var user = await admin.CreateUserAsync(new { email, role = "operator", password = Password });

        var response = await admin.DeleteAsync($"{Users}/{user.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await admin.GetAsync($"{Users}/{user.Id()}")).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"{Users}/{user.Id()}")).Problem(HttpStatusCode.NotFound);
        await (await app.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", Password)))
            .OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
    }
}
