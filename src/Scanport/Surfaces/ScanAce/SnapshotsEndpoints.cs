using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.ScanAce;

internal static class SnapshotsEndpoints
{
    public static void MapSnapshots(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{projectId}/snapshots", List).ProducesErrors(400).WithName("ScanAceListSnapshots").WithSummary("Snapshots of a project");
        api.MapPost("/projects/{projectId}/snapshots", Create).WithName("ScanAceCreateSnapshot").WithSummary("Create a snapshot (cloud-only projects)");
        api.MapGet("/snapshots/{snapshotId}", Get).WithName("ScanAceGetSnapshot").WithSummary("A snapshot by its id");
        api.MapGet("/snapshots/{snapshotId}/s3-upload-credentials", Credentials).WithName("ScanAceUploadCredentials")
            .WithSummary("Temporary S3 credentials (4 hours) for this snapshot's prefix only");
        api.MapPost("/snapshots/{snapshotId}/commit", Commit).WithName("ScanAceCommitSnapshot")
            .WithSummary("Commit the uploaded LAZ; ingestion reads its header in the background");
    }

    public static async Task<Results<Ok<GenericResponse<List<SnapshotModel>>>, ErrorResult>> List(
        string projectId, [AsParameters] ScanAcePaging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var project = await ProjectsEndpoints.FindAsync(db, caller, projectId, ct);
        if (project is null) return new ErrorResult(ScanAceErrors.ProjectNotFound);
        var query = db.Set<Snapshot>().AsNoTracking().Where(s => s.ProjectId == project.Id);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Skip(paging.Skip).Take(paging.L).ToListAsync(ct);
        return ScanAceResults.Data(rows.Select(s => ToModel(s, projectId)).ToList(), paging.Of(total));
    }

    public static async Task<Results<Ok<GenericResponse<SnapshotModel>>, ErrorResult>> Create(
        string projectId, InputSnapshot input, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var project = await ProjectsEndpoints.FindAsync(db, caller, projectId, ct);
        if (project is null) return new ErrorResult(ScanAceErrors.ProjectNotFound);
        if (!caller.Allows(ProjectAction.Contribute, project)) return new ErrorResult(ScanAceErrors.ReviewersOnlyRead);
        if (SnapshotValidation.Validate(input) is { Count: > 0 } errors) return new ErrorResult(ApiError.Validation(errors));
        if (!project.CloudOnly)
            return new ErrorResult(ApiError.Field("project_id", "only cloud-only projects are supported", "Only cloud-only projects are supported"));
        var now = clock.GetUtcNow();
        var snapshot = new Snapshot
        {
            OrgId = caller.OrgId,
            ProjectId = project.Id,
            Name = input.Name!.Trim(),
            Description = input.Description,
            Latitude = input.Location?.Latitude,
            Longitude = input.Location?.Longitude,
            LocationSource = input.Location is null ? null : "client",
            UtmZone = (int)input.UtmZoneNr!.Value,
            UtmHemisphere = input.UtmHemisphere!,
            StartCaptureAt = input.StartCaptureAt,
            EndCaptureAt = input.EndCaptureAt,
            CreatedBy = caller.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(snapshot);
        await db.SaveChangesAsync(ct);
        return ScanAceResults.Data(ToModel(snapshot, projectId));
    }

    public static async Task<Results<Ok<GenericResponse<SnapshotModel>>, ErrorResult>> Get(
        string snapshotId, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var found = await FindAsync(db, caller, snapshotId, ct);
        return found is null ? new ErrorResult(ScanAceErrors.SnapshotNotFound) : ScanAceResults.Data(ToModel(found.Value.Snapshot, found.Value.ProjectObjectId));
    }

    public static async Task<Results<Ok<GenericResponse<S3UploadCredentials>>, ErrorResult>> Credentials(
        string snapshotId, Caller caller, ScanportDb db, IObjectStore store, IOptions<ScanAceOptions> options, CancellationToken ct)
    {
        var found = await FindAsync(db, caller, snapshotId, ct);
        if (found is null) return new ErrorResult(ScanAceErrors.SnapshotNotFound);
        if (!Permissions.May(caller, ProjectAction.Contribute, null)) return new ErrorResult(ScanAceErrors.ReviewersOnlyRead);
        var snapshot = found.Value.Snapshot;
        if (snapshot.Status != SnapshotStatus.Created)
            return new ErrorResult(ApiError.Field("status", $"snapshot is {snapshot.Status}: upload credentials are only issued while it is created",
                "Snapshot is no longer accepting uploads"));
        var prefix = Prefix(snapshot);
        var credentials = await store.IssueCredentialsAsync(new CredentialScope(options.Value.Bucket, prefix, CredentialScope.UploadOnly),
            options.Value.CredentialsLifetime, ct);
        return ScanAceResults.Data(new S3UploadCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
            store.Region, options.Value.Bucket, prefix, credentials.Expiration, store.PublicEndpoint?.ToString().TrimEnd('/')));
    }

    public static async Task<Results<Ok<GenericResponse<CommittedSnapshot>>, ErrorResult>> Commit(
        string snapshotId, CommitSnapshot input, Caller caller, ScanportDb db, IObjectStore store, JobQueue jobs,
        IOptions<ScanAceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var found = await FindAsync(db, caller, snapshotId, ct);
        if (found is null) return new ErrorResult(ScanAceErrors.SnapshotNotFound);
        if (!Permissions.May(caller, ProjectAction.Contribute, null)) return new ErrorResult(ScanAceErrors.ReviewersOnlyRead);
        var snapshot = found.Value.Snapshot;
        var key = input.LazS3Key?.Trim();
        if (string.IsNullOrEmpty(key)) return new ErrorResult(ApiError.Field("laz_s3_key", "laz_s3_key should not be empty"));
        if (!key.StartsWith(Prefix(snapshot), StringComparison.Ordinal) || key.Length == Prefix(snapshot).Length || key.Contains("/../", StringComparison.Ordinal))
            return new ErrorResult(ApiError.Field("laz_s3_key", $"laz_s3_key must be an object under the snapshot's prefix {Prefix(snapshot)}"));
        if (snapshot.Status != SnapshotStatus.Created)
            return new ErrorResult(ApiError.Field("status", $"snapshot is already {snapshot.Status}", "Snapshot was already committed"));
        if (await store.HeadAsync(options.Value.Bucket, key, ct) is null)
            return new ErrorResult(ApiError.Field("laz_s3_key", "no object was uploaded under laz_s3_key", "Uploaded file not found"));

        var now = clock.GetUtcNow();
        var committed = await db.Set<Snapshot>().Where(s => s.Id == snapshot.Id && s.Status == SnapshotStatus.Created)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SnapshotStatus.Committed).SetProperty(s => s.LazS3Key, key)
                .SetProperty(s => s.UpdatedAt, now), ct);
        if (committed == 0) return new ErrorResult(ApiError.Field("status", "snapshot was committed concurrently", "Snapshot was already committed"));
        snapshot.LazS3Key = key;
        // The upload credentials stay valid for hours and may write anything under the prefix: what the snapshot holds is
        // a copy outside it, taken once this commit has won, which ingestion reads and no credential of the client reaches.
        ObjectInfo? copy;
        try
        {
            copy = await store.CopyAsync(options.Value.Bucket, key, CommittedKey(snapshot), ct);
        }
        catch
        {
            await UncommitAsync(db, snapshot);
            throw;
        }
        if (copy is null)
        {
            await UncommitAsync(db, snapshot);
            return new ErrorResult(ApiError.Field("laz_s3_key", "no object was uploaded under laz_s3_key", "Uploaded file not found"));
        }
        await jobs.EnqueueAsync(snapshot.OrgId, SnapshotIngestion.JobType, new SnapshotIngestion.Payload(snapshot.Id), $"snapshot:{snapshot.Id}", ct);
        return ScanAceResults.Data(new CommittedSnapshot(snapshot.Id, snapshot.Name, SnapshotStatus.Committed, key, now));
    }

    public sealed record CommittedSnapshot(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("laz_s3_key")] string LazS3Key,
        [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

    /// <summary>Puts a snapshot whose commit could not copy its upload back as it was: created, uploads still accepted.</summary>
    private static Task UncommitAsync(ScanportDb db, Snapshot snapshot) =>
        db.Set<Snapshot>().Where(s => s.Id == snapshot.Id && s.Status == SnapshotStatus.Committed)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SnapshotStatus.Created).SetProperty(s => s.LazS3Key, (string?)null)
                .SetProperty(s => s.UpdatedAt, snapshot.UpdatedAt), CancellationToken.None);

    /// <summary>Where a snapshot's upload goes: the document's <c>scanace/...</c> prefix, one per snapshot.</summary>
    public static string Prefix(Snapshot s) => $"scanace/{s.Id}/";

    /// <summary>Where the commit keeps its copy of <see cref="Snapshot.LazS3Key"/>: outside every snapshot's prefix, so no upload credential reaches it.</summary>
    public static string CommittedKey(Snapshot s) => $"{CommittedPrefix(s)}{s.LazS3Key![Prefix(s).Length..]}";

    /// <summary>The folder of a snapshot's committed copy.</summary>
    public static string CommittedPrefix(Snapshot s) => $"scanace-committed/{s.Id}/";

    private static async Task<(Snapshot Snapshot, string ProjectObjectId)?> FindAsync(ScanportDb db, Caller caller, string snapshotId, CancellationToken ct)
    {
        if (!Snapshot.IsObjectId(snapshotId)) return null;
        var row = await (from s in db.Set<Snapshot>().AsNoTracking()
                         join p in db.Projects.VisibleTo(caller) on s.ProjectId equals p.Id
                         where s.Id == snapshotId
                         select new { Snapshot = s, p.Number, p.CreatedAt }).FirstOrDefaultAsync(ct);
        return row is null ? null : (row.Snapshot, ProjectIds.ToObjectId(row.Number, row.CreatedAt));
    }

    internal static SnapshotModel ToModel(Snapshot s, string projectObjectId) => new(
        s.Id, s.Name, projectObjectId, s.Status, "scanace", s.CreatedAt, s.UpdatedAt, s.Description,
        s.Latitude is null ? null : new LocationModel(s.Latitude, s.Longitude), s.UtmZone, s.UtmHemisphere,
        s.StartCaptureAt, s.EndCaptureAt, s.LazS3Key,
        s.PointCount is null && s.LasVersion is null ? null : new PointCloudModel(s.LasVersion, s.PointFormat, s.PointCount, s.Compressed,
            s.MinX is null ? null : new BoundsModel(s.MinX.Value, s.MinY!.Value, s.MinZ!.Value, s.MaxX!.Value, s.MaxY!.Value, s.MaxZ!.Value),
            s.CrsEpsg is null && s.CrsWkt is null ? null : new CrsModel(s.CrsEpsg, s.CrsWkt, s.CrsUnits)),
        s.FailureReason);
}

internal static class SnapshotValidation
{
    public static Dictionary<string, string[]> Validate(InputSnapshot input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["name should not be empty"];
        else if (input.Name.Trim().Length > 200) errors["name"] = ["name must be at most 200 characters"];
        if (input.UtmZoneNr is not { } zone || zone != Math.Floor(zone) || zone is < 1 or > 60)
            errors["utm_zone_nr"] = ["utm_zone_nr must be an integer from 1 to 60"];
        if (input.UtmHemisphere is not ("N" or "S")) errors["utm_hemisphere"] = ["utm_hemisphere must be one of the following values: N, S"];
        if (input.Location is { } location)
        {
            if (location.Latitude is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90)
                errors["location.latitude"] = ["location.latitude must be a number from -90 to 90"];
            if (location.Longitude is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180)
                errors["location.longitude"] = ["location.longitude must be a number from -180 to 180"];
        }
        if (input.Description is { Length: > 4000 }) errors["description"] = ["description must be at most 4000 characters"];
        if (input.StartCaptureAt is { } start && input.EndCaptureAt is { } end && start > end)
            errors["end_capture_at"] = ["end_capture_at must not be before start_capture_at"];
        return errors;
    }
}
