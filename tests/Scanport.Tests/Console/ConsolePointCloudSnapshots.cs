using System.Net;
using System.Text.Json;
using Scanport.Tests.Surfaces.ScanAce;

namespace Scanport.Tests.Console;

/// <summary>
/// Point clouds arranged as a ScanAce device or program makes them: a cloud-only project, a snapshot, its credentials, a
/// boto3 upload and the commit, then ingestion.
/// </summary>
internal static class ConsolePointCloudSnapshots
{
    /// <summary>A cloud-only project: its platform id and its ScanAce id.</summary>
    public static async Task<(Guid Id, string ObjectId)> CloudProjectAsync(Tenant tenant, string name)
    {
        var objectId = await tenant.ProjectAsync(name);
        using var admin = tenant.Admin();
        var page = await (await admin.GetAsync("/platform/v1/projects?limit=100")).Status(HttpStatusCode.OK);
        var project = page.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("object_id").GetString() == objectId);
        return (project.GetProperty("id").GetGuid(), objectId);
    }

    public static async Task<string> SnapshotAsync(Tenant tenant, string objectId, string name)
    {
        using var admin = tenant.Admin();
        var snapshot = await admin.SnapshotAsync(objectId, new { name, utm_zone_nr = 10, utm_hemisphere = "N" });
        return snapshot.GetProperty("id").GetString()!;
    }

    /// <summary>Uploads the bytes as the snapshot's file, commits it and waits for ingestion; returns the snapshot.</summary>
    public static async Task<JsonElement> UploadAsync(Tenant tenant, string snapshotId, byte[] bytes, string fileName)
    {
        using var admin = tenant.Admin();
        var key = await ScanAceClient.UploadBytesAsync(await admin.CredentialsAsync(snapshotId), bytes, fileName);
        await (await admin.PostJsonAsync($"/scanace/snapshots/{snapshotId}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);
        return await admin.WaitForIngestionAsync(snapshotId);
    }

    public static Task<byte[]> SharedCloudAsync(string name) => File.ReadAllBytesAsync(ScanAceClient.PointCloud(name));
}
