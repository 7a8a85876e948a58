using System.Buffers.Binary;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Storage;
using Scanport.Surfaces.ScanAce;

namespace Scanport.Tests.Surfaces.ScanAce;

/// <summary>A committed snapshot ends ready or failed with a reason, and holds the file that was committed.</summary>
[Collection(AppCollection.Name)]
public sealed class SnapshotIntegrityTests(ScanportApp app)
{
    private const string Bucket = "sodex-integrations";

    private async Task<(HttpClient Client, string Id)> SnapshotAsync(string project)
    {
        var tenant = await app.NewTenantAsync();
        var client = tenant.Admin();
        var id = (await client.SnapshotAsync(await tenant.ProjectAsync(project))).GetProperty("id").GetString()!;
        return (client, id);
    }

    [Fact]
    public async Task A_LAS_file_with_NaN_bounds_fails_ingestion_with_a_reason()
    {
        var (client, id) = await SnapshotAsync("nan bounds");
        using var _ = client;
        var bytes = await File.ReadAllBytesAsync(ScanAceClient.PointCloud("autzen_trim.las"));
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(187), double.NaN); // min x
        var key = await ScanAceClient.UploadBytesAsync(await client.CredentialsAsync(id), bytes, "nan.las");
        await (await client.PostJsonAsync($"/scanace/snapshots/{id}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);

        var failed = await client.WaitForIngestionAsync(id);

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("Not a readable LAS/LAZ file: The header's min x is NaN: scale factors, offsets and bounds must be finite numbers.",
            failed.GetProperty("failure_reason").GetString());
    }

    [Fact]
    public async Task A_snapshot_whose_ingestion_gives_up_ends_failed_with_the_jobs_reason()
    {
        var (client, id) = await SnapshotAsync("given up");
        using var _ = client;
        using (var scope = app.Services.CreateScope())
        {
            // Where a worker that died, or a bug, leaves a snapshot: processing, its job out of attempts.
            await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Snapshot>().Where(s => s.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SnapshotStatus.Processing).SetProperty(s => s.LazS3Key, $"scanace/{id}/a.laz"));
        }

        await TellFinalFailureAsync(id, "The job's worker stopped (a crash or a kill) during its last attempt, after 3 attempts");

        var failed = (await (await client.GetAsync($"/scanace/snapshots/{id}")).Status(HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("Ingestion failed: The job's worker stopped (a crash or a kill) during its last attempt, after 3 attempts", failed.GetProperty("failure_reason").GetString());
    }

    [Fact]
    public async Task A_ready_snapshot_stays_ready_when_told_of_a_late_failure()
    {
        var (client, id) = await SnapshotAsync("late failure");
        using var _ = client;
        var key = await ScanAceClient.UploadAsync(await client.CredentialsAsync(id), ScanAceClient.PointCloud("point-color-time.las.laz"), "a.laz");
        await (await client.PostJsonAsync($"/scanace/snapshots/{id}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);
        Assert.Equal("ready", (await client.WaitForIngestionAsync(id)).GetProperty("status").GetString());

        await TellFinalFailureAsync(id, "too late");

        var snapshot = (await (await client.GetAsync($"/scanace/snapshots/{id}")).Status(HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("ready", snapshot.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Upload_credentials_cannot_change_the_file_of_a_committed_snapshot()
    {
        var (client, id) = await SnapshotAsync("overwritten");
        using var _ = client;
        var credentials = await client.CredentialsAsync(id);
        var committedBytes = await File.ReadAllBytesAsync(ScanAceClient.PointCloud("point-color-time.las.laz"));
        var key = await ScanAceClient.UploadBytesAsync(credentials, committedBytes, "scan.laz");
        await (await client.PostJsonAsync($"/scanace/snapshots/{id}/commit", new { laz_s3_key = key })).Status(HttpStatusCode.OK);

        // The credentials are valid for hours and the key is under their prefix: the store takes the write.
        await ScanAceClient.UploadAsync(credentials, ScanAceClient.PointCloud("autzen_trim.las"), "scan.laz");

        var ready = await client.WaitForIngestionAsync(id);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(1065, ready.GetProperty("point_cloud").GetProperty("point_count").GetInt64());
        Assert.Equal(key, ready.GetProperty("laz_s3_key").GetString());
        using var scope = app.Services.CreateScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Snapshot>().AsNoTracking().FirstAsync(s => s.Id == id);
        await using var held = await scope.ServiceProvider.GetRequiredService<IObjectStore>()
            .GetAsync(Bucket, SnapshotsEndpoints.CommittedKey(snapshot), null, CancellationToken.None);
        Assert.NotNull(held);
        using var copy = new MemoryStream();
        await held.Body.CopyToAsync(copy);
        Assert.Equal(committedBytes, copy.ToArray());
    }

    private async Task TellFinalFailureAsync(string snapshotId, string error)
    {
        using var scope = app.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IJobHandler>().Single(h => h.Type == SnapshotIngestion.JobType);
        var orgId = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Snapshot>().Where(s => s.Id == snapshotId).Select(s => s.OrgId).FirstAsync();
        var job = new Job { OrgId = orgId, Type = SnapshotIngestion.JobType, Queue = handler.Queue, Payload = $$"""{"snapshot_id":"{{snapshotId}}"}""" };
        await handler.OnFinalFailureAsync(new JobContext(job, (_, _) => Task.CompletedTask, _ => Task.CompletedTask), error, CancellationToken.None);
    }
}
