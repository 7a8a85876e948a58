using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.ScanAce;

/// <summary>Arranges ScanAce tests through the public APIs: a project on the platform, snapshots on the surface.</summary>
internal static class ScanAceClient
{
    /// <summary>Creates a platform project and returns its ScanAce ObjectId (from the surface's own listing).</summary>
    public static async Task<string> ProjectAsync(this Tenant tenant, string name, bool cloudOnly = true)
    {
        using var admin = tenant.Admin();
        await (await admin.PostJsonAsync("/platform/v1/projects", new { name, cloud_only = cloudOnly })).Status(HttpStatusCode.Created);
        var list = await (await admin.GetAsync("/scanace/organizations/me/projects?limit=100")).Status(HttpStatusCode.OK);
        return list.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> SnapshotAsync(this HttpClient client, string projectId, object? body = null)
    {
        var response = await client.PostJsonAsync($"/scanace/projects/{projectId}/snapshots",
            body ?? new { name = "ScanAce Test 1", utm_zone_nr = 10, utm_hemisphere = "N" });
        return (await response.Status(HttpStatusCode.OK)).GetProperty("data");
    }

    public static async Task<JsonElement> CredentialsAsync(this HttpClient client, string snapshotId) =>
        (await (await client.GetAsync($"/scanace/snapshots/{snapshotId}/s3-upload-credentials")).Status(HttpStatusCode.OK)).GetProperty("data");

    /// <summary>Polls the snapshot until ingestion has finished (ready or failed).</summary>
    public static async Task<JsonElement> WaitForIngestionAsync(this HttpClient client, string snapshotId)
    {
        for (var i = 0; i < 300; i++)
        {
            var data = (await (await client.GetAsync($"/scanace/snapshots/{snapshotId}")).Status(HttpStatusCode.OK)).GetProperty("data");
            if (data.GetProperty("status").GetString() is "ready" or "failed") return data;
            await Task.Delay(100);
        }
        throw new TimeoutException("ingestion did not finish within 30 s");
    }

    /// <summary>Uploads a local file with boto3 using the snapshot's credentials; returns the key.</summary>
    public static async Task<string> UploadAsync(JsonElement credentials, string localFile, string name)
    {
        var env = new Dictionary<string, string>
        {
            ["AK"] = credentials.GetProperty("access_key_id").GetString()!,
            ["SK"] = credentials.GetProperty("access_key_secret").GetString()!,
            ["ST"] = credentials.GetProperty("session_token").GetString()!,
            ["REGION"] = credentials.GetProperty("region").GetString()!,
            ["ENDPOINT"] = credentials.GetProperty("endpoint_url").GetString()!,
            ["BUCKET"] = credentials.GetProperty("bucket").GetString()!,
            ["KEY"] = credentials.GetProperty("s3_prefix").GetString() + name,
            ["FILE"] = localFile,
        };
        await ExternalProgram.PythonAsync("""
            import boto3, os
            s3 = boto3.client("s3", aws_access_key_id=os.environ["AK"], aws_secret_access_key=os.environ["SK"],
                aws_session_token=os.environ["ST"], region_name=os.environ["REGION"], endpoint_url=os.environ["ENDPOINT"])
            s3.put_object(Bucket=os.environ["BUCKET"], Key=os.environ["KEY"], Body=open(os.environ["FILE"], "rb"))
            """, env);
        return env["KEY"];
    }

    /// <summary>Uploads <paramref name="bytes"/> as <see cref="UploadAsync"/> does a file; returns the key.</summary>
    public static async Task<string> UploadBytesAsync(JsonElement credentials, byte[] bytes, string name)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, bytes);
            return await UploadAsync(credentials, file, name);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static string PointCloud(string name) => Path.Combine(RepoPaths.Shared, "data", "pointclouds", name);
}
