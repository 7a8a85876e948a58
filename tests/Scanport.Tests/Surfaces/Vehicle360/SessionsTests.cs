using System.Net;
using System.Net.Http.Json;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Vehicle360;

[Collection(AppCollection.Name)]
public sealed class SessionsTests(ScanportApp app)
{
    [Fact]
    public async Task A_device_session_is_created_with_its_vehicle_and_read_back()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync("Main Studio");
        var device = await tenant.DeviceAsync(site);
        using var client = app.Client(device.Token);

        var created = await client.CreateSessionAsync(site);

        Assert.Equal(tenant.OrgId, created.GetProperty("org_id").GetGuid());
        Assert.Equal(site, created.GetProperty("site_id").GetGuid());
        Assert.Equal("studio360", created.GetProperty("mode").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal(24, created.GetProperty("shot_list").GetProperty("studio360").GetProperty("frame_count").GetInt32());
        Assert.EndsWith("Z", created.GetProperty("started_at").GetString());
        var read = await (await client.GetAsync($"/v1/sessions/{created.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal("1HGCM82633A123456", read.GetProperty("vehicle").GetProperty("vin").GetString());
        Assert.Equal(created.GetProperty("vehicle_id").GetGuid(), read.GetProperty("vehicle").Id());
        Assert.Equal(device.Id, read.GetProperty("device").Id());
        Assert.Equal("iPhone 15 Pro", read.GetProperty("device").GetProperty("model").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("operator").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("completed_at").ValueKind);
    }

    [Fact]
    public async Task The_same_VIN_finds_the_same_vehicle_and_a_stock_number_alone_works()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        using var admin = tenant.Admin();

        var first = await admin.CreateSessionAsync(site, vin: "WVWZZZ1JZXW000001", stock: null);
        var second = await admin.CreateSessionAsync(site, vin: "wvwzzz1jzxw000001", stock: "STK-9");
        var byStock = await admin.CreateSessionAsync(site, vin: null, stock: "STK-9");

        Assert.Equal(first.GetProperty("vehicle_id").GetGuid(), second.GetProperty("vehicle_id").GetGuid());
        Assert.Equal(first.GetProperty("vehicle_id").GetGuid(), byStock.GetProperty("vehicle_id").GetGuid());
        var other = await tenant.App.NewTenantAsync();
        var otherSite = await other.SiteAsync();
        using var otherAdmin = other.Admin();
        var elsewhere = await otherAdmin.CreateSessionAsync(otherSite, vin: "WVWZZZ1JZXW000001", stock: null);
        Assert.NotEqual(first.GetProperty("vehicle_id").GetGuid(), elsewhere.GetProperty("vehicle_id").GetGuid());
    }

    [Fact]
    public async Task Sessions_end_once_through_legal_transitions()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site);
        var url = $"/v1/sessions/{session.Id()}";

        var done = await (await admin.PatchAsJsonAsync(url, new { status = "complete" })).Status(HttpStatusCode.OK);
        Assert.Equal("complete", done.GetProperty("status").GetString());
        Assert.EndsWith("Z", done.GetProperty("completed_at").GetString());
        // The same end again is a retry; another end is a conflict; back to active is not an end.
        await (await admin.PatchAsJsonAsync(url, new { status = "complete" })).Status(HttpStatusCode.OK);
        await (await admin.PatchAsJsonAsync(url, new { status = "abandoned" })).Error(HttpStatusCode.Conflict, "CONFLICT");
        await (await admin.PatchAsJsonAsync(url, new { status = "active" })).Invalid("status");
        var read = await (await admin.GetAsync(url)).Status(HttpStatusCode.OK);
        Assert.Equal("complete", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Listing_filters_and_pages_within_the_callers_sites()
    {
        var tenant = await app.NewTenantAsync();
        var (siteA, siteB) = (await tenant.SiteAsync("A"), await tenant.SiteAsync("B"));
        using var admin = tenant.Admin();
        var a1 = await admin.CreateSessionAsync(siteA, vin: null, stock: "A-1");
        var a2 = await admin.CreateSessionAsync(siteA, vin: null, stock: "A-2");
        var b1 = await admin.CreateSessionAsync(siteB, vin: null, stock: "B-1");
        await admin.PatchAsJsonAsync($"/v1/sessions/{a2.Id()}", new { status = "abandoned" });
        var (_, operatorToken) = await tenant.UserAsync("operator", siteA);
        using var operatorClient = app.Client(operatorToken);

        var all = await (await admin.GetAsync("/v1/sessions")).Status(HttpStatusCode.OK);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(50, all.GetProperty("limit").GetInt32());
        Assert.Equal(0, all.GetProperty("offset").GetInt32());
        var mine = await (await operatorClient.GetAsync("/v1/sessions")).Status(HttpStatusCode.OK);
        Assert.Equal([a2.Id(), a1.Id()], mine.GetProperty("data").EnumerateArray().Select(s => s.Id()).ToArray());
        var active = await (await admin.GetAsync($"/v1/sessions?site_id={siteA}&status=active")).Status(HttpStatusCode.OK);
        Assert.Equal([a1.Id()], active.GetProperty("data").EnumerateArray().Select(s => s.Id()).ToArray());
        var item = active.GetProperty("data")[0];
        Assert.Equal("A", item.GetProperty("site").GetProperty("name").GetString());
        Assert.Equal("A-1", item.GetProperty("vehicle").GetProperty("stock").GetString());
        Assert.Equal(0, item.GetProperty("image_count").GetInt32());
        Assert.Equal(await tenant.AdminIdAsync(), item.GetProperty("operator").Id());
        var byVehicle = await (await admin.GetAsync($"/v1/sessions?vehicle_id={b1.GetProperty("vehicle_id").GetGuid()}")).Status(HttpStatusCode.OK);
        Assert.Equal([b1.Id()], byVehicle.GetProperty("data").EnumerateArray().Select(s => s.Id()).ToArray());
        var page = await (await admin.GetAsync("/v1/sessions?limit=1&offset=1")).Status(HttpStatusCode.OK);
        Assert.Equal(1, page.GetProperty("data").GetArrayLength());
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        await (await admin.GetAsync("/v1/sessions?limit=101")).Invalid("limit");
        await (await admin.GetAsync("/v1/sessions?limit=0")).Invalid("limit");
        await (await admin.GetAsync("/v1/sessions?offset=-1")).Invalid("offset");
        await (await admin.GetAsync("/v1/sessions?status=paused")).Invalid("status");
        await (await admin.GetAsync("/v1/sessions?site_id=not-a-uuid")).Invalid("site_id");
    }
}
