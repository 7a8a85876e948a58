using System.Net;
using System.Net.Http.Headers;
using Scanport.Tests.Identity;
using Scanport.Tests.Surfaces.ScanAce;

namespace Scanport.Tests.Surfaces.Platform;

/// <summary>
/// A project's stored files from every surface (<c>/platform/v1/projects/{id}/files</c>) and the short-lived URLs the
/// console's viewers read them through: straight from the object store, ranges honoured, no token.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProjectFilesTests(ScanportApp app)
{
    [Fact]
    public async Task A_snapshot_is_listed_and_read_through_its_url_whole_and_by_range()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var objectId = await tenant.ProjectAsync("files");
        var project = (await (await admin.GetAsync("/platform/v1/projects")).Status(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(objectId, project.Str("object_id"));
        var projectId = project.Str("id");
        var snapshot = (await admin.SnapshotAsync(objectId, new { name = "Level 2", utm_zone_nr = 10, utm_hemisphere = "N" })).Str("id");

        // Not uploaded yet: listed, not stored, and its URL is a conflict.
        var listed = await (await admin.GetAsync($"/platform/v1/projects/{projectId}/files")).Status(HttpStatusCode.OK);
        var file = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal((snapshot, "point_cloud", "scanace", false), (file.Str("id"), file.Str("kind"), file.Str("source"), file.GetProperty("stored").GetBoolean()));
        await (await admin.GetAsync($"/platform/v1/projects/{projectId}/files/{snapshot}/url")).Problem(HttpStatusCode.Conflict);

        var laz = ScanAceClient.PointCloud("autzen_trim.laz");
        var key = await ScanAceClient.UploadAsync(await admin.CredentialsAsync(snapshot), laz, "autzen.laz");
        await (await admin.PostJsonAsync($"/scanace/snapshots/{snapshot}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);
        await admin.WaitForIngestionAsync(snapshot);

        var url = await (await admin.GetAsync($"/platform/v1/projects/{projectId}/files/{snapshot}/url")).Status(HttpStatusCode.OK);
        Assert.Equal("Level 2.laz", url.Str("name"));
        Assert.Equal("application/vnd.laszip", url.Str("content_type"));
        Assert.Equal(new FileInfo(laz).Length, url.GetProperty("size").GetInt64());
        Assert.InRange(url.GetProperty("expires_at").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));

        using var anonymous = new HttpClient();
        var whole = await anonymous.GetByteArrayAsync(url.Str("url"));
        Assert.Equal(await File.ReadAllBytesAsync(laz), whole);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url.Str("url")) { Headers = { Range = new RangeHeaderValue(0, 3) } };
        using var part = await anonymous.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("LASF"u8.ToArray(), await part.Content.ReadAsByteArrayAsync());
        // The signature covers the object: another key with the same query is refused.
        using var forged = await anonymous.GetAsync(url.Str("url").Replace("autzen.laz", "other.laz", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task Unknown_files_other_projects_and_other_tenants_are_not_found()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        using var stranger = other.Admin();
        var objectId = await tenant.ProjectAsync("mine");
        var projectId = (await (await admin.GetAsync("/platform/v1/projects")).Status(HttpStatusCode.OK)).GetProperty("items")[0].Str("id");
        var snapshot = (await admin.SnapshotAsync(objectId)).Str("id");

        await (await admin.GetAsync($"/platform/v1/projects/{projectId}/files/000000000000000000000000/url")).Problem(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/platform/v1/projects/{Guid.NewGuid()}/files")).Problem(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/platform/v1/projects/{projectId}/files")).Problem(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/platform/v1/projects/{projectId}/files/{snapshot}/url")).Problem(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/platform/v1/projects/{projectId}/files?limit=0")).Invalid("limit");
        await (await admin.GetAsync($"/platform/v1/projects/{projectId}/files?offset=-1")).Invalid("offset");
    }
}
