using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>The audit trail follows the visibility of what each event is about; site-bound callers see their sites only.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditVisibilityTests(ScanportApp app)
{
    [Fact]
    public async Task A_reviewer_reads_the_events_of_their_sites_only()
    {
        var tenant = await app.NewTenantAsync();
        var (siteA, siteB) = (await tenant.SiteAsync("A"), await tenant.SiteAsync("B"));
        using var admin = tenant.Admin();
        var atA = (await admin.CreateSessionAsync(siteA)).Id();
        var atB = (await admin.CreateSessionAsync(siteB, vin: null, stock: "AT-B")).Id();
        foreach (var session in new[] { atA, atB })
            await (await admin.PostAsJsonAsync($"{Base}/events", new { entity_type = "session", entity_id = session, type = "upload_started" }))
                .Status(HttpStatusCode.Created);
        var (_, reviewerToken) = await tenant.UserAsync("reviewer", siteA);
        using var reviewer = app.Client(reviewerToken);

        var seen = await (await reviewer.GetAsync($"{Base}/events?limit=100")).Status(HttpStatusCode.OK);

        var about = seen.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("entity_id").GetGuid()).ToList();
        Assert.Contains(atA, about);
        Assert.DoesNotContain(atB, about);
        Assert.Equal(about.Count, seen.GetProperty("total").GetInt32());
        var filtered = await (await reviewer.GetAsync($"{Base}/events?entity_id={atB}")).Status(HttpStatusCode.OK);
        Assert.Equal(0, filtered.GetProperty("total").GetInt32());
        var all = await (await admin.GetAsync($"{Base}/events?limit=100")).Status(HttpStatusCode.OK);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_site_bound_device_sees_only_its_site_in_the_platform_API()
    {
        var tenant = await app.NewTenantAsync();
        var (siteA, siteB) = (await tenant.SiteAsync("A"), await tenant.SiteAsync("B"));
        var (_, token) = await tenant.DeviceAsync(siteA);
        using var device = app.Client(token);

        var sites = await (await device.GetAsync($"{PlatformCalls.Base}/sites")).Status(HttpStatusCode.OK);

        Assert.Equal([siteA], sites.ItemIds());
        await (await device.GetAsync($"{PlatformCalls.Base}/sites/{siteA}")).Status(HttpStatusCode.OK);
        await (await device.GetAsync($"{PlatformCalls.Base}/sites/{siteB}")).Problem(HttpStatusCode.NotFound);
        var (_, unbound) = await tenant.DeviceAsync();
        using var everywhere = app.Client(unbound);
        Assert.Equal(2, (await (await everywhere.GetAsync($"{PlatformCalls.Base}/sites")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }
}
