using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Identity;

namespace Scanport.Tests.Identity;

[Collection(AppCollection.Name)]
public sealed class TokenPersistenceTests(ScanportApp app)
{
    [Fact]
    public async Task Tokens_stay_valid_on_a_restarted_or_second_node_and_bootstrap_runs_once()
    {
        var token = await app.AdminTokenAsync();
        await using var other = await app.StartAnotherNodeAsync();

        using var client = other.Client(token);
        var me = await (await client.GetAsync("/platform/v1/me")).Status(HttpStatusCode.OK);
        Assert.Equal(ScanportApp.AdminEmail, me.GetProperty("email").GetString());
        using var admin = other.Client(await other.AdminTokenAsync());
        var orgs = await (await admin.GetAsync("/platform/v1/organizations?limit=100")).Status(HttpStatusCode.OK);
        Assert.Single(orgs.GetProperty("items").EnumerateArray(), o => o.GetProperty("name").GetString() == "default");
    }

    [Fact]
    public async Task Device_tokens_are_accepted_by_the_body_scan_surface()
    {
        var tenant = await app.NewTenantAsync();
        var (deviceId, _) = await Surfaces.Vehicle360.V360Calls.DeviceAsync(tenant);
        var device = app.Services.GetRequiredService<TokenIssuer>().ForDevice(deviceId, tenant.OrgId);
        using var client = app.Client(device.AccessToken);

        var scanId = await Surfaces.BodyScan.BodyScanClient.InitAsync(client);
        await (await Surfaces.BodyScan.BodyScanClient.FrameAsync(client, scanId, 0)).Status(HttpStatusCode.Created);

        using var admin = tenant.Admin();
        Assert.Equal(1, (await Surfaces.BodyScan.BodyScanClient.StatusAsync(admin, scanId)).GetProperty("frameCount").GetInt32());
        Assert.Equal(2592000, device.ExpiresIn);
    }
}
