using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Events;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;
using Scanport.Telemetry;

namespace Scanport.Surfaces.BodyScan;

internal static class ScansEndpoints
{
    public static void MapScans(this RouteGroupBuilder api)
    {
        api.MapPost("/init", Init).ProducesErrors(404).WithName("InitScan").WithSummary("Initialize a new scanning session");
        api.MapGet("/status", Status).ProducesErrors(400, 404).WithName("GetScanStatus").WithSummary("Current scan status and quality metrics");
        api.MapGet("/status/stream", Stream).ProducesErrors(400, 404).WithName("StreamScanStatus").WithMetadata(QueryTokenAllowed.Instance)
            .WithSummary("Our addition: the status as Server-Sent Events, pushed after every change (no polling)");
        api.MapGet("/scans", List).ProducesErrors(400).WithName("ListScans")
            .WithSummary("Our addition: the scans the caller sees, newest first, optionally of one project or site, a page at a time");
        api.MapPost("/lock", Lock).ProducesErrors(404, 409).WithName("LockScan").WithSummary("Our addition: finalize measurements (active → locked)");
        api.MapPost("/complete", Complete).ProducesErrors(404, 409).WithName("CompleteScan").WithSummary("Our addition: finish the scan (active or locked → completed)");
    }

    public static async Task<Results<Created<InitResponse>, ErrorResult>> Init(
        InitRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var sessionId = request.SessionId;
        if (string.IsNullOrWhiteSpace(sessionId)) return new ErrorResult(ApiError.Field("sessionId", "is required"));
        if (sessionId.Length > 200 || sessionId.Any(char.IsControl))
            return new ErrorResult(ApiError.Field("sessionId", "must be at most 200 printable characters"));
        if (!Permissions.MayCapture(caller)) return new ErrorResult(BodyScanErrors.ReadOnly);
        if (request.ProjectId is { } projectId && !await db.Projects.VisibleTo(caller).AnyAsync(p => p.Id == projectId, ct))
            return new ErrorResult(ApiError.NotFound("Project not found") with { Details = new Dictionary<string, string[]> { ["projectId"] = ["no project with this id"] } });
        var siteId = request.SiteId ?? (caller is { Kind: CallerKind.Device, SiteIds.Count: 1 } ? caller.SiteIds[0] : null);
        if (siteId is { } site && (!Permissions.OnSite(caller, site) || !await db.Sites.AnyAsync(s => s.Id == site && s.OrgId == caller.OrgId, ct)))
            return new ErrorResult(ApiError.NotFound("Site not found") with { Details = new Dictionary<string, string[]> { ["siteId"] = ["no site with this id"] } });
        var scan = new Scan
        {
            OrgId = caller.OrgId,
            SessionId = sessionId,
            CreatedBy = caller.Id,
            ProjectId = request.ProjectId,
            SiteId = siteId,
            StartedAt = clock.GetUtcNow(),
        };
        db.Set<Scan>().Add(scan);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"status?scanId={scan.Id}",
            new InitResponse(scan.Id, scan.SessionId, scan.StartedAt, "Scan initialized successfully", scan.ProjectId, scan.SiteId));
    }

    public static async Task<Results<Ok<ScanStatusResponse>, ErrorResult>> Status(
        string? scanId, string? sessionId, Caller caller, ScanportDb db, ScanStatusReader reader, CancellationToken ct)
    {
        if (FrameValidation.ParseScanId(scanId, out var id) is { } invalid) return new ErrorResult(invalid);
        if (await ScanAccess.CheckAsync(db, caller, id, record: false, ct) is { } refused) return new ErrorResult(refused);
        var status = await reader.ReadAsync(caller.OrgId, id, ct);
        if (status is null) return new ErrorResult(BodyScanErrors.NotFound);
        if (sessionId is not null && sessionId != status.SessionId)
            return new ErrorResult(ApiError.NotFound("Scan not found for this session") with
            {
                Details = new Dictionary<string, string[]> { ["sessionId"] = ["does not match the scan's session"] },
            });
        return TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<ScanListResponse>, ErrorResult>> List(
        Guid? projectId, Guid? siteId, int? limit, int? offset, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var take = limit ?? 20;
        var skip = offset ?? 0;
        if (take is < 1 or > 100) return new ErrorResult(ApiError.Field("limit", "must be between 1 and 100"));
        if (skip < 0) return new ErrorResult(ApiError.Field("offset", "must not be negative"));
        var scans = ScanAccess.Visible(db, caller);
        if (projectId is { } project) scans = scans.Where(s => s.ProjectId == project);
        if (siteId is { } site) scans = scans.Where(s => s.SiteId == site);
        var total = await scans.CountAsync(ct);
        var page = await scans.OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id).Skip(skip).Take(take)
            .Select(s => new ScanSummary(s.Id, s.SessionId, s.Status, s.ProjectId, s.SiteId, s.FrameCount, s.ValidFrames,
                s.FrameCount == 0 ? 0 : s.ConfidenceSum / s.FrameCount, s.FrameCount == 0 ? 0 : s.StabilitySum / s.FrameCount,
                s.StartedAt, s.CompletedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new ScanListResponse(page, total, take, skip));
    }

    public static Task<Results<Ok<ScanStatusResponse>, ErrorResult>> Lock(
        ScanRequest request, Caller caller, ScanportDb db, ScanStatusReader reader, TimeProvider clock, IEventBus events, CancellationToken ct) =>
        Transition(request, caller, db, reader, events, ScanStatus.Locked, [ScanStatus.Active], clock.GetUtcNow(), ct);

    public static Task<Results<Ok<ScanStatusResponse>, ErrorResult>> Complete(
        ScanRequest request, Caller caller, ScanportDb db, ScanStatusReader reader, TimeProvider clock, IEventBus events, CancellationToken ct) =>
        Transition(request, caller, db, reader, events, ScanStatus.Completed, [ScanStatus.Active, ScanStatus.Locked], clock.GetUtcNow(), ct);

    /// <summary>Moves a scan forward; asking for the state it is already in answers its status again.</summary>
    private static async Task<Results<Ok<ScanStatusResponse>, ErrorResult>> Transition(
        ScanRequest request, Caller caller, ScanportDb db, ScanStatusReader reader, IEventBus events,
        string target, string[] from, DateTimeOffset now, CancellationToken ct)
    {
        if (FrameValidation.ParseScanId(request.ScanId, out var id) is { } invalid) return new ErrorResult(invalid);
        if (await ScanAccess.CheckAsync(db, caller, id, record: true, ct) is { } refused) return new ErrorResult(refused);
        var completed = target == ScanStatus.Completed ? now : (DateTimeOffset?)null;
        var changed = await db.Set<Scan>()
            .Where(s => s.Id == id && s.OrgId == caller.OrgId && from.Contains(s.Status))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, target)
                .SetProperty(s => s.LockedAt, s => s.LockedAt ?? now)
                .SetProperty(s => s.CompletedAt, s => completed ?? s.CompletedAt), ct);
        var status = await reader.ReadAsync(caller.OrgId, id, ct);
        if (status is null) return new ErrorResult(BodyScanErrors.NotFound);
        if (changed == 0 && status.Status != target)
            return new ErrorResult(ApiError.Conflict($"A {status.Status} scan cannot become {target}", "invalid_transition"));
        if (changed > 0) events.Publish(ScanEvents.Updated(id));
        return TypedResults.Ok(status);
    }

    public static async Task<Results<ServerSentEventsResult<ScanStatusResponse>, ErrorResult>> Stream(
        string? scanId, Caller caller, ScanportDb db, ScanStatusReader reader, IEventBus events, IServiceScopeFactory scopes, ActiveStreams streams,
        CancellationToken ct)
    {
        if (FrameValidation.ParseScanId(scanId, out var id) is { } invalid) return new ErrorResult(invalid);
        if (await ScanAccess.CheckAsync(db, caller, id, record: false, ct) is { } refused) return new ErrorResult(refused);
        if (await reader.ReadAsync(caller.OrgId, id, ct) is null) return new ErrorResult(BodyScanErrors.NotFound);
        return TypedResults.ServerSentEvents(Updates(caller.OrgId, id, events, scopes, streams, ct));
    }

    /// <summary>
    /// The current status, then a fresh one after each change. Changes that arrive while a status is being
    /// read are coalesced: a subscriber gets the latest state, never a backlog. Ends after the scan completes.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<ScanStatusResponse>> Updates(
        Guid orgId, Guid scanId, IEventBus events, IServiceScopeFactory scopes, ActiveStreams streams, [EnumeratorCancellation] CancellationToken ct)
    {
        using var open = streams.Open("bodyscan.status");
        using var subscription = events.Subscribe(ScanEvents.Topic(scanId), capacity: 1);
        while (!ct.IsCancellationRequested)
        {
            ScanStatusResponse? status;
            // The request's own scope outlives no await here; each read takes a short-lived DbContext.
            using (var scope = scopes.CreateScope())
                status = await scope.ServiceProvider.GetRequiredService<ScanStatusReader>().ReadAsync(orgId, scanId, ct);
            if (status is null) yield break;
            yield return new SseItem<ScanStatusResponse>(status, "status") { EventId = status.FrameCount.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (status.Status == ScanStatus.Completed) yield break;
            try
            {
                await subscription.Reader.ReadAsync(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                yield break;
            }
        }
    }
}
