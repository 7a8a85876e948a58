using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.PointClouds;
using Scanport.Storage;

namespace Scanport.Surfaces.ScanAce;

/// <summary>
/// The <c>ingest</c> job of a committed snapshot: reads the LAS/LAZ header and VLRs of the commit's copy (never the
/// points), records point count, bounds and CRS, fills the location from the bounds' centre when the client
/// gave none, and moves the snapshot committed → processing → ready, or failed with the reader's reason (or the
/// job's, when it gives up).
/// Running it again re-reads the same object and writes the same values.
/// </summary>
internal sealed class SnapshotIngestion(ScanportDb db, IObjectStore store, IOptions<ScanAceOptions> options, TimeProvider clock) : IJobHandler
{
    public const string JobType = "snapshot.ingest";

    public string Type => JobType;
    public string Queue => "ingest";

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var snapshotId = SnapshotIdOf(context);
        var bucket = options.Value.Bucket;

        var snapshot = await db.Set<Snapshot>().FirstOrDefaultAsync(s => s.Id == snapshotId && s.OrgId == context.OrgId, ct);
        if (snapshot is null) return JobOutcome.Failed($"snapshot {snapshotId} no longer exists");
        if (snapshot.Status is SnapshotStatus.Ready or SnapshotStatus.Failed) return JobOutcome.Succeeded(); // done by an earlier attempt
        snapshot.Status = SnapshotStatus.Processing;
        snapshot.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await context.LogAsync($"reading the header of {snapshot.LazS3Key}");

        // The commit's copy; a snapshot committed before commits made one has only the upload itself.
        await using var content = await store.GetAsync(bucket, SnapshotsEndpoints.CommittedKey(snapshot), null, ct)
            ?? await store.GetAsync(bucket, snapshot.LazS3Key!, null, ct);
        var result = content is null
            ? new LasHeaderResult(null, "the uploaded file is gone from storage")
            : await LasHeaderReader.ReadAsync(content.Body, content.Info.Size, ct);
        await context.ReportProgressAsync(80);

        if (result.Header is not { } header)
        {
            snapshot.Status = SnapshotStatus.Failed;
            snapshot.FailureReason = $"Not a readable LAS/LAZ file: {result.Error}";
            await context.LogAsync(snapshot.FailureReason);
        }
        else
        {
            Apply(snapshot, header);
            snapshot.Status = SnapshotStatus.Ready;
            snapshot.FailureReason = null;
            await context.LogAsync($"LAS {snapshot.LasVersion}, format {snapshot.PointFormat}, {snapshot.PointCount} points");
        }
        snapshot.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return JobOutcome.Succeeded(JsonSerializer.Serialize(new { snapshot_id = snapshot.Id, status = snapshot.Status, point_count = snapshot.PointCount }));
    }

    /// <summary>A snapshot still committed or processing when ingestion gives up fails with the job's reason.</summary>
    public async Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct)
    {
        var snapshotId = SnapshotIdOf(context);
        var reason = $"Ingestion failed: {error}";
        if (reason.Length > Snapshot.FailureReasonLength) reason = reason[..Snapshot.FailureReasonLength];
        var now = clock.GetUtcNow();
        await db.Set<Snapshot>()
            .Where(s => s.Id == snapshotId && s.OrgId == context.OrgId && (s.Status == SnapshotStatus.Committed || s.Status == SnapshotStatus.Processing))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SnapshotStatus.Failed).SetProperty(s => s.FailureReason, reason)
                .SetProperty(s => s.UpdatedAt, now), ct);
    }

    private static string SnapshotIdOf(JobContext context) => context.Payload<Payload>().SnapshotId;

    /// <summary>The job's payload: the snapshot to ingest.</summary>
    public sealed record Payload([property: JsonPropertyName("snapshot_id")] string SnapshotId);

    private static void Apply(Snapshot snapshot, LasHeader header)
    {
        snapshot.LasVersion = $"{header.Version.Major}.{header.Version.Minor}";
        snapshot.PointFormat = header.PointDataFormat;
        snapshot.PointCount = (long)Math.Min(header.PointCount, long.MaxValue);
        snapshot.Compressed = header.IsCompressed;
        (snapshot.MinX, snapshot.MinY, snapshot.MinZ) = (header.Bounds.Min.X, header.Bounds.Min.Y, header.Bounds.Min.Z);
        (snapshot.MaxX, snapshot.MaxY, snapshot.MaxZ) = (header.Bounds.Max.X, header.Bounds.Max.Y, header.Bounds.Max.Z);
        snapshot.CrsEpsg = header.Crs?.Epsg;
        snapshot.CrsWkt = header.Crs?.Wkt;
        snapshot.CrsUnits = header.Crs?.LinearUnits;
        if (snapshot.Latitude is null && header.PointCount > 0)
        {
            // The caller's UTM zone is only trusted for coordinates that name no other system: a file in, say,
            // State Plane feet would land somewhere plausible-looking and wrong.
            var zone = new UtmZone(snapshot.UtmZone, snapshot.UtmHemisphere == "S" ? UtmHemisphere.South : UtmHemisphere.North);
            if (UtmCoordinates.Place(header, zone) is { } placed && (placed.ZoneFromCrs || header.Crs is null)
                && double.IsFinite(placed.Position.Latitude) && Math.Abs(placed.Position.Latitude) <= 90
                && double.IsFinite(placed.Position.Longitude) && Math.Abs(placed.Position.Longitude) <= 180)
            {
                (snapshot.Latitude, snapshot.Longitude, snapshot.LocationSource) = (placed.Position.Latitude, placed.Position.Longitude, "computed");
            }
        }
    }
}
