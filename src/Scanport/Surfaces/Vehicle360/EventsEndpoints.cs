using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Vehicle360;

internal static class EventsEndpoints
{
    private static readonly string[] EntityTypes = ["session", "image", "device"];
    private static readonly string[] Types = ["upload_started", "upload_complete", "upload_failed", "qc_failed", "published"];

    public static void MapAuditEvents(this RouteGroupBuilder api)
    {
        api.MapPost("/events", Ingest).RequireRateLimiting(Vehicle360Api.EventsLimit)
            .WithName("V360IngestEvents").WithSummary("Record one event or a batch (all or nothing)");
        api.MapGet("/events", List).ProducesErrors(400).RequireCaller(Permissions.Reviews, Vehicle360Errors.Forbidden("The audit trail is for reviewers and admins")).WithName("V360ListEvents").WithSummary("The audit trail, newest first (reviewers and admins; ours)");
    }

    public static async Task<Results<Created<EventsAccepted>, ErrorResult>> Ingest(
        EventsRequest request, Caller caller, ScanportDb db, UploadCompletion uploads, IOptions<Vehicle360Options> options,
        TimeProvider clock, CancellationToken ct)
    {
        var batch = request.Events is not null;
        var items = request.Events ?? [new EventInput(request.EntityType, request.EntityId, request.Type, request.Message, request.Meta)];
        if (batch && request.EntityType is not null | request.EntityId is not null | request.Type is not null)
            return new ErrorResult(ApiError.Field("events", "send either one event or a batch under events, not both"));
        if (items.Count == 0) return new ErrorResult(ApiError.Field("events", "must hold at least one event"));
        if (items.Count > options.Value.MaxEventBatch)
            return new ErrorResult(ApiError.Field("events", $"must hold at most {options.Value.MaxEventBatch} events"));

        var errors = new Dictionary<string, string[]>();
        for (var n = 0; n < items.Count; n++) Validate(items[n], batch ? $"events[{n}]." : "", errors);
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        // Every entity must be the caller's organization's; the batch is refused whole otherwise.
        var known = await KnownEntitiesAsync(db, caller, items, ct);
        for (var n = 0; n < items.Count; n++)
        {
            if (!known.Contains((items[n].EntityType!, items[n].EntityId!.Value)))
                errors[(batch ? $"events[{n}]." : "") + "entity_id"] = [$"no such {items[n].EntityType} in your organization"];
        }
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var now = clock.GetUtcNow();
        db.AddRange(items.Select(e => new AuditEvent
        {
            OrgId = caller.OrgId,
            EntityType = e.EntityType!,
            EntityId = e.EntityId!.Value,
            Type = e.Type!,
            Message = e.Message,
            MetaJson = e.Meta is { ValueKind: JsonValueKind.Object } meta ? meta.GetRawText() : null,
            ActorId = caller.Id,
            ActorKind = caller.Kind,
            CreatedAt = now,
        }));
        await db.SaveChangesAsync(ct);

        // With an S3 provider that cannot notify us, the device's word starts processing (once storage confirms it).
        var completed = items.Where(e => e is { EntityType: "image", Type: "upload_complete" }).Select(e => e.EntityId!.Value).Distinct().ToList();
        foreach (var image in await db.Set<VehicleImage>().AsNoTracking()
                     .Where(i => i.OrgId == caller.OrgId && completed.Contains(i.Id) && i.Status == ImageStatus.Pending).ToListAsync(ct))
            await uploads.CheckAsync(image, ct);
        return TypedResults.Created((string?)null, new EventsAccepted(items.Count));
    }

    public static async Task<Results<Ok<EventList>, ErrorResult>> List(
        [FromQuery(Name = "entity_type")] string? entityType, [FromQuery(Name = "entity_id")] Guid? entityId, [FromQuery(Name = "type")] string? eventType,
        int? limit, int? offset, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var paging = new Vehicle360Paging(limit, offset);
        var errors = paging.Validate();
        // The audit trail has always named only the first bad parameter.
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors.Take(1).ToDictionary()));
        var query = VisibleEvents(db, caller);
        if (entityType is not null) query = query.Where(e => e.EntityType == entityType);
        if (entityId is { } id) query = query.Where(e => e.EntityId == id);
        if (eventType is not null) query = query.Where(e => e.Type == eventType);
        var total = await query.CountAsync(ct);
        var rows = await paging.Apply(query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)).ToListAsync(ct);
        var data = rows.Select(e => new EventModel(e.Id, e.EntityType, e.EntityId, e.Type, e.Message,
            e.MetaJson is null ? null : JsonDocument.Parse(e.MetaJson).RootElement.Clone(),
            new ActorModel(e.ActorId, e.ActorKind), e.CreatedAt)).ToList();
        return TypedResults.Ok(new EventList(data, total, paging.Take, paging.Skip));
    }

    /// <summary>An event is seen by whoever may see the entity it is about: a session's or image's site, a device's site.</summary>
    private static IQueryable<AuditEvent> VisibleEvents(ScanportDb db, Caller caller)
    {
        var query = db.Set<AuditEvent>().AsNoTracking().Where(e => e.OrgId == caller.OrgId);
        if (Permissions.VisibleSites(caller) is not { } sites) return query;
        return query.Where(e =>
            (e.EntityType == "session" && db.Set<CaptureSession>().Any(s => s.Id == e.EntityId && sites.Contains(s.SiteId)))
            || (e.EntityType == "image" && db.Set<VehicleImage>().Any(i => i.Id == e.EntityId && sites.Contains(i.SiteId)))
            || (e.EntityType == "device" && db.Set<Device>().Any(d => d.Id == e.EntityId && d.SiteId != null && sites.Contains(d.SiteId.Value))));
    }

    private static void Validate(EventInput? e, string prefix, Dictionary<string, string[]> errors)
    {
        // A batch item written as null binds as null: refused here, not met as a NullReferenceException below.
        if (e is null)
        {
            errors[prefix.TrimEnd('.')] = ["must be an event object"];
            return;
        }
        if (e.EntityType is null) errors[prefix + "entity_type"] = ["is required"];
        else if (!EntityTypes.Contains(e.EntityType)) errors[prefix + "entity_type"] = ["must be one of session, image, device"];
        if (e.EntityId is null) errors[prefix + "entity_id"] = ["is required"];
        if (e.Type is null) errors[prefix + "type"] = ["is required"];
        else if (!Types.Contains(e.Type)) errors[prefix + "type"] = [$"must be one of {string.Join(", ", Types)}"];
        if (e.Message is { Length: > 2000 }) errors[prefix + "message"] = ["must be at most 2000 characters"];
        if (e.Meta is { } meta && meta.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            errors[prefix + "meta"] = ["must be an object"];
        else if (e.Meta is { ValueKind: JsonValueKind.Object } m && m.GetRawText().Length > 16 * 1024)
            errors[prefix + "meta"] = ["must be at most 16 KiB"];
    }

    private static async Task<HashSet<(string, Guid)>> KnownEntitiesAsync(ScanportDb db, Caller caller, List<EventInput> items, CancellationToken ct)
    {
        Guid[] Ids(string type) => items.Where(e => e.EntityType == type).Select(e => e.EntityId!.Value).Distinct().ToArray();
        var (sessions, images, devices) = (Ids("session"), Ids("image"), Ids("device"));
        var known = new HashSet<(string, Guid)>();
        if (sessions.Length > 0)
            known.UnionWith((await SessionsEndpoints.Visible(db, caller).Where(s => sessions.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct))
                .Select(id => ("session", id)));
        if (images.Length > 0)
        {
            var query = db.Set<VehicleImage>().Where(i => i.OrgId == caller.OrgId && images.Contains(i.Id));
            if (Permissions.VisibleSites(caller) is { } sites) query = query.Where(i => sites.Contains(i.SiteId));
            known.UnionWith((await query.Select(i => i.Id).ToListAsync(ct)).Select(id => ("image", id)));
        }
        if (devices.Length > 0)
            known.UnionWith((await db.Devices.Where(d => d.OrgId == caller.OrgId && devices.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct))
                .Select(id => ("device", id)));
        return known;
    }
}
