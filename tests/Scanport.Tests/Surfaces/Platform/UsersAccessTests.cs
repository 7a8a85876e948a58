using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Platform;

/// <summary>Who may administer users, and the rules that keep an organization administrable.</summary>
[Collection(AppCollection.Name)]
public sealed class UsersAccessTests(ScanportApp app)
{
    private const string Users = PlatformCalls.Users;
    private const string Password = PlatformCalls.UserPassword;

    [Theory]
    [InlineData("operator")]
    [InlineData("reviewer")]
    public async Task Non_admins_cannot_create_list_or_read_users(string role)
    {
        var tenant = await app.NewTenantAsync();
        var (id, token) = await tenant.UserAsync(role);
        using var client = app.Client(token);

        await (await client.PostAsJsonAsync(Users, new { email = PlatformCalls.NewEmail(), role = "admin", password = Password })).Problem(HttpStatusCode.Forbidden);
        await (await client.GetAsync(Users)).Problem(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"{Users}/{id}")).Problem(HttpStatusCode.Forbidden);
        await (await client.PatchAsJsonAsync($"{Users}/{id}", new { role = "admin" })).Problem(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"{Users}/{await tenant.AdminIdAsync()}")).Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_organizations_user_is_not_found()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var (foreignId, _) = await other.UserAsync("operator");
        using var admin = tenant.Admin();

        await (await admin.GetAsync($"{Users}/{foreignId}")).Problem(HttpStatusCode.NotFound);
        await (await admin.PatchAsJsonAsync($"{Users}/{foreignId}", new { role = "reviewer" })).Problem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"{Users}/{foreignId}")).Problem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(foreignId, (await (await admin.GetAsync(Users)).Status(HttpStatusCode.OK)).ItemIds());

        using var otherAdmin = other.Admin();
        var untouched = await (await otherAdmin.GetAsync($"{Users}/{foreignId}")).Status(HttpStatusCode.OK);
        Assert.Equal("operator", untouched.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_until_there_is_another()
    {
        var tenant = await app.NewTenantAsync();
        var adminId = await tenant.AdminIdAsync();
        using var admin = tenant.Admin();

        await (await admin.PatchAsJsonAsync($"{Users}/{adminId}", new { role = "operator" })).Problem(HttpStatusCode.Conflict);
        Assert.Equal("admin", (await (await admin.GetAsync($"{Users}/{adminId}")).Status(HttpStatusCode.OK)).GetProperty("role").GetString());

        await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "admin" });
        var demoted = await (await admin.PatchAsJsonAsync($"{Users}/{adminId}", new { role = "operator" })).Status(HttpStatusCode.OK);
        Assert.Equal("operator", demoted.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_last_admin_cannot_be_deleted()
    {
        var tenant = await app.NewTenantAsync();
        var adminId = await tenant.AdminIdAsync();
        var (_, keySecret) = await tenant.ApiKeyAsync("admin");
        using var key = app.Client(keySecret);

        await (await key.DeleteAsync($"{Users}/{adminId}")).Problem(HttpStatusCode.Conflict);

        using var admin = tenant.Admin();
        await (await admin.GetAsync($"{Users}/{adminId}")).Status(HttpStatusCode.OK);
        var second = await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "admin" });
        await (await key.DeleteAsync($"{Users}/{second.Id()}")).Status(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Admins_cannot_delete_themselves()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        await admin.CreateUserAsync(new { email = PlatformCalls.NewEmail(), role = "admin" });

        await (await admin.DeleteAsync($"{Users}/{await tenant.AdminIdAsync()}")).Problem(HttpStatusCode.Conflict);
    }
}
