using System.Net;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class MeTests(ScanportApp app)
{
    private const string MeUrl = $"{PlatformCalls.Base}/me";

    [Fact]
    public async Task Me_describes_the_signed_in_user_and_their_organization()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (id, token) = await tenant.UserAsync("reviewer", site);
        using var client = app.Client(token);

        var me = await (await client.GetAsync(MeUrl)).Status(HttpStatusCode.OK);

        Assert.Equal(["email", "id", "kind", "name", "org_id", "org_name", "role", "site_ids"], me.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(id, me.Id());
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal(tenant.OrgId, me.GetProperty("org_id").GetGuid());
        Assert.StartsWith("tenant-", me.GetProperty("org_name").GetString());
        Assert.Equal("reviewer", me.GetProperty("role").GetString());
        Assert.Equal("reviewer", me.GetProperty("name").GetString());
        Assert.StartsWith("reviewer-", me.GetProperty("email").GetString());
        Assert.Equal([site], me.Guids("site_ids"));
    }

    [Fact]
    public async Task Me_without_a_token_is_unauthorized()
    {
        using var client = app.Client();

        await (await client.GetAsync(MeUrl)).Problem(HttpStatusCode.Unauthorized);
    }
}
