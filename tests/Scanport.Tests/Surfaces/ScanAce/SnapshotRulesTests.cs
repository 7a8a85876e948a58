using System.Net;

namespace Scanport.Tests.Surfaces.ScanAce;

[Collection(AppCollection.Name)]
public sealed class SnapshotRulesTests(ScanportApp app)
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"utm_zone_nr": 32, "utm_hemisphere": "N"}""", "name should not be empty" },
        { """{"name": "x", "utm_zone_nr": 0, "utm_hemisphere": "N"}""", "utm_zone_nr must be an integer from 1 to 60" },
        { """{"name": "x", "utm_zone_nr": 61, "utm_hemisphere": "N"}""", "utm_zone_nr must be an integer from 1 to 60" },
        { """{"name": "x", "utm_zone_nr": 32.5, "utm_hemisphere": "N"}""", "utm_zone_nr must be an integer from 1 to 60" },
        { """{"name": "x", "utm_zone_nr": 32, "utm_hemisphere": "E"}""", "utm_hemisphere must be one of the following values: N, S" },
        { """{"name": "x", "utm_zone_nr": 32, "utm_hemisphere": "N", "location": {"latitude": 91, "longitude": 10}}""", "location.latitude must be a number from -90 to 90" },
        { """{"name": "x", "utm_zone_nr": 32, "utm_hemisphere": "N", "location": {"latitude": 51, "longitude": -181}}""", "location.longitude must be a number from -180 to 180" },
        { """{"name": "x", "utm_zone_nr": 32, "utm_hemisphere": "N", "start_capture_at": "2025-01-22T12:00:00Z", "end_capture_at": "2025-01-22T10:00:00Z"}""", "end_capture_at must not be before start_capture_at" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_snapshots_are_400_with_the_reason(string json, string reason)
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await tenant.ProjectAsync("rules");
        using var client = tenant.Admin();

        var body = await (await client.PostRawAsync($"/scanace/projects/{projectId}/snapshots", json)).Status(HttpStatusCode.BadRequest);

        Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
        Assert.Contains(reason, body.GetProperty("message").EnumerateArray().Select(m => m.GetString()));
        var list = await (await client.GetAsync($"/scanace/projects/{projectId}/snapshots")).Status(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Malformed_JSON_and_wrong_types_are_400()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await tenant.ProjectAsync("types");
        using var client = tenant.Admin();
        await (await client.PostRawAsync($"/scanace/projects/{projectId}/snapshots", "{\"name\": ")).Status(HttpStatusCode.BadRequest);
        var wrong = await (await client.PostRawAsync($"/scanace/projects/{projectId}/snapshots",
            """{"name": "x", "utm_zone_nr": "32", "utm_hemisphere": "N"}""")).Status(HttpStatusCode.BadRequest);
        Assert.Contains("must be a number", wrong.GetProperty("message")[0].GetString());
    }

    [Fact]
    public async Task Only_cloud_only_projects_take_snapshots()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await tenant.ProjectAsync("on-premises", cloudOnly: false);
        using var client = tenant.Admin();
        var body = await (await client.PostJsonAsync($"/scanace/projects/{projectId}/snapshots",
            new { name = "x", utm_zone_nr = 32, utm_hemisphere = "N" })).Status(HttpStatusCode.BadRequest);
        Assert.Contains("cloud-only", body.GetProperty("message")[0].GetString());
    }

    [Fact]
    public async Task Another_organizations_projects_and_snapshots_are_404()
    {
        var mine = await app.NewTenantAsync();
        var theirs = await app.NewTenantAsync();
        var projectId = await mine.ProjectAsync("private");
        using var owner = mine.Admin();
        var snapshotId = (await owner.SnapshotAsync(projectId)).GetProperty("id").GetString()!;
        using var other = theirs.Admin();

        await (await other.GetAsync($"/scanace/projects/{projectId}")).Status(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/scanace/projects/{projectId}/snapshots")).Status(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/scanace/projects/{projectId}/snapshots", new { name = "x", utm_zone_nr = 1, utm_hemisphere = "N" })).Status(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/scanace/snapshots/{snapshotId}")).Status(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/scanace/snapshots/{snapshotId}/s3-upload-credentials")).Status(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/scanace/snapshots/{snapshotId}/commit", new { laz_s3_key = $"scanace/{snapshotId}/x.laz" })).Status(HttpStatusCode.NotFound);
        var list = await (await other.GetAsync("/scanace/organizations/me/projects")).Status(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("pagination").GetProperty("total").GetInt32());
        await (await owner.GetAsync("/scanace/projects/000000000000000000000000")).Status(HttpStatusCode.NotFound);
        await (await owner.GetAsync("/scanace/snapshots/not-an-object-id")).Status(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Members_see_their_projects_and_non_members_do_not()
    {
        var tenant = await app.NewTenantAsync();
        var (_, operatorToken) = await tenant.UserAsync("operator");
        var projectId = await tenant.ProjectAsync("members-only");
        using var outsider = app.Client(operatorToken);

        var list = await (await outsider.GetAsync("/scanace/organizations/me/projects")).Status(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("pagination").GetProperty("total").GetInt32());
        await (await outsider.GetAsync($"/scanace/projects/{projectId}")).Status(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_follow_page_and_limit()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await tenant.ProjectAsync("paged");
        using var client = tenant.Admin();
        for (var i = 0; i < 3; i++) await client.SnapshotAsync(projectId, new { name = $"s{i}", utm_zone_nr = 32, utm_hemisphere = "N" });

        var page2 = await (await client.GetAsync($"/scanace/projects/{projectId}/snapshots?page=2&limit=2")).Status(HttpStatusCode.OK);
        Assert.Single(page2.GetProperty("data").EnumerateArray());
        Assert.Equal(3, page2.GetProperty("pagination").GetProperty("total").GetInt32());
        await (await client.GetAsync($"/scanace/projects/{projectId}/snapshots?page=0")).Status(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/scanace/projects/{projectId}/snapshots?limit=101")).Status(HttpStatusCode.BadRequest);
        await (await app.Client().GetAsync($"/scanace/projects/{projectId}")).Status(HttpStatusCode.Unauthorized);
    }
}
