using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Scanport.Tests.Surfaces.ScanAce;

[Collection(AppCollection.Name)]
public sealed class SnapshotWorkflowTests(ScanportApp app)
{
    [Fact]
    public async Task The_documents_workflow_runs_with_its_own_boto3_example()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await tenant.ProjectAsync("ScanAce Integration Project");
        using var client = tenant.Admin();

        // 1. projects, as the document lists them
        var projects = await (await client.GetAsync("/scanace/organizations/me/projects")).Status(HttpStatusCode.OK);
        Assert.Matches("^[0-9a-f]{24}$", projectId);
        Assert.Equal(1, projects.GetProperty("pagination").GetProperty("page").GetInt32());
        Assert.Equal(10, projects.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(1, projects.GetProperty("pagination").GetProperty("total").GetInt32());

        // 2. create a snapshot with the document's request body (its location omitted: ingestion computes it)
        var snapshot = await client.SnapshotAsync(projectId, new
        {
            name = "ScanAce Test 1",
            utm_zone_nr = 10,
            utm_hemisphere = "N",
            description = "This is a scan ace upload test",
            start_capture_at = "2025-01-22T10:00:00Z",
            end_capture_at = "2025-01-22T12:00:00Z",
        });
        var snapshotId = snapshot.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", snapshotId);
        Assert.Equal(projectId, snapshot.GetProperty("project_id").GetString());
        Assert.Equal("created", snapshot.GetProperty("status").GetString());
        Assert.Equal("scanace", snapshot.GetProperty("snapshot_source").GetString());
        Assert.EndsWith("Z", snapshot.GetProperty("created_at").GetString());

        // 3. credentials
        var credentials = await client.CredentialsAsync(snapshotId);
        Assert.StartsWith("ASIA", credentials.GetProperty("access_key_id").GetString());
        Assert.Equal("sodex-integrations", credentials.GetProperty("bucket").GetString());
        Assert.Equal($"scanace/{snapshotId}/", credentials.GetProperty("s3_prefix").GetString());
        var expires = credentials.GetProperty("expiration").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(3.9), TimeSpan.FromHours(4.01));

        // 4. the document's boto3 example, verbatim but for the endpoint
        await RunDocumentExampleAsync(credentials);

        // 5. commit
        var key = $"scanace/{snapshotId}/your_file.laz";
        var committed = (await (await client.PostJsonAsync($"/scanace/snapshots/{snapshotId}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("committed", committed.GetProperty("status").GetString());
        Assert.Equal(key, committed.GetProperty("laz_s3_key").GetString());
        Assert.EndsWith("Z", committed.GetProperty("updated_at").GetString());

        var ready = await client.WaitForIngestionAsync(snapshotId);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var cloud = ready.GetProperty("point_cloud");
        Assert.Equal(1065, cloud.GetProperty("point_count").GetInt64());
        Assert.Equal(3, cloud.GetProperty("point_format").GetInt32());
        Assert.Equal("1.2", cloud.GetProperty("las_version").GetString());
        Assert.True(cloud.GetProperty("compressed").GetBoolean());
        Assert.Equal(26910, cloud.GetProperty("crs").GetProperty("epsg").GetInt32());
        Assert.Equal(493994.87, cloud.GetProperty("bounds").GetProperty("min_x").GetDouble(), 2);
        Assert.Equal(4878817.02, cloud.GetProperty("bounds").GetProperty("max_y").GetDouble(), 2);
        // The bounds' centre, from the file's own UTM zone: Eugene, Oregon.
        var location = ready.GetProperty("location");
        Assert.Equal(44.0563, location.GetProperty("latitude").GetDouble(), 3);
        Assert.Equal(-123.0687, location.GetProperty("longitude").GetDouble(), 3);

        // credentials end with the upload
        await (await client.GetAsync($"/scanace/snapshots/{snapshotId}/s3-upload-credentials")).Status(HttpStatusCode.BadRequest);
    }

    private static async Task RunDocumentExampleAsync(JsonElement credentials)
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Shared, "specs", "scanace-integration-api.md"));
        var example = Regex.Match(doc, "```python\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("s3.put_object(", example);
        // The one change the issue allows: tell boto3 where the endpoint is.
        example = example.Replace("region_name=credentials.region,", "region_name=credentials.region,\n    endpoint_url=credentials.endpoint_url,");
        var dir = Directory.CreateTempSubdirectory("scanace-example-");
        try
        {
            // A LAZ whose GeoTIFF keys say NAD83 / UTM zone 10N (Eugene, Oregon).
            File.Copy(ScanAceClient.PointCloud("point-color-time.las.laz"), Path.Combine(dir.FullName, "local_file.laz"));
            var script = $"""
                import json, os, types
                os.chdir({JsonSerializer.Serialize(dir.FullName)})
                credentials = types.SimpleNamespace(**json.loads({JsonSerializer.Serialize(credentials.GetRawText())}))
                {example}
                """;
            await ExternalProgram.PythonAsync(script);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_LAS_file_in_a_non_UTM_system_is_read_but_not_placed_with_the_callers_zone()
    {
        var tenant = await app.NewTenantAsync();
        using var client = tenant.Admin();
        var id = (await client.SnapshotAsync(await tenant.ProjectAsync("autzen"))).GetProperty("id").GetString()!;
        var key = await ScanAceClient.UploadAsync(await client.CredentialsAsync(id), ScanAceClient.PointCloud("autzen_trim.las"), "autzen.las");
        await (await client.PostJsonAsync($"/scanace/snapshots/{id}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);

        var ready = await client.WaitForIngestionAsync(id);

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var cloud = ready.GetProperty("point_cloud");
        Assert.Equal(110_000, cloud.GetProperty("point_count").GetInt64());
        Assert.False(cloud.GetProperty("compressed").GetBoolean());
        Assert.Equal(636001.76, cloud.GetProperty("bounds").GetProperty("min_x").GetDouble(), 2);
        Assert.Equal(849497.9, cloud.GetProperty("bounds").GetProperty("max_y").GetDouble(), 2);
        Assert.Equal(JsonValueKind.Null, ready.GetProperty("location").ValueKind);
    }

    [Fact]
    public async Task A_file_that_is_not_LAS_fails_ingestion_with_a_reason()
    {
        var tenant = await app.NewTenantAsync();
        using var client = tenant.Admin();
        var snapshot = await client.SnapshotAsync(await tenant.ProjectAsync("broken"));
        var id = snapshot.GetProperty("id").GetString()!;
        var file = Path.GetTempFileName();
        try
        {
            // The first 300 bytes of a real LAS file: the header is cut short.
            await File.WriteAllBytesAsync(file, (await File.ReadAllBytesAsync(ScanAceClient.PointCloud("autzen_trim.las")))[..300]);
            var key = await ScanAceClient.UploadAsync(await client.CredentialsAsync(id), file, "cut.las");
            await (await client.PostJsonAsync($"/scanace/snapshots/{id}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);
        }
        finally
        {
            File.Delete(file);
        }
        var failed = await client.WaitForIngestionAsync(id);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.StartsWith("Not a readable LAS/LAZ file", failed.GetProperty("failure_reason").GetString());
    }

    [Fact]
    public async Task Commit_refuses_keys_outside_the_prefix_and_files_never_uploaded_and_changes_nothing()
    {
        var tenant = await app.NewTenantAsync();
        using var client = tenant.Admin();
        var id = (await client.SnapshotAsync(await tenant.ProjectAsync("commit-refusals"))).GetProperty("id").GetString()!;

        foreach (var key in new[] { "elsewhere/file.laz", $"scanace/{id}/", $"scanace/{id}/never-uploaded.laz", "" })
        {
            var body = await (await client.PostJsonAsync($"/scanace/snapshots/{id}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.BadRequest);
            Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
            Assert.Equal("Bad Request", body.GetProperty("error").GetString());
        }
        var after = (await (await client.GetAsync($"/scanace/snapshots/{id}")).Status(HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("created", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("laz_s3_key").ValueKind);
    }
}
