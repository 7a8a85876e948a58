using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Vehicle360;

internal static class SessionsEndpoints
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static void MapCaptureSessions(this RouteGroupBuilder api)
    {
        api.MapPost("/sessions", Create).ProducesErrors(404).WithName("V360CreateSession").WithSummary("Start a capture session (finds or creates the vehicle)");
        api.MapGet("/sessions", List).ProducesErrors(400).RequireCaller(CallerRules.IsNotDevice, Vehicle360Errors.UsersOnly).WithName("V360ListSessions").WithSummary("Sessions of the sites you can see (user tokens)");
        api.MapGet("/sessions/{id}", Get).WithName("V360GetSession").WithSummary("A session with its vehicle, operator, device and site");
        api.MapPatch("/sessions/{id}", Update).ProducesErrors(409).WithName("V360UpdateSession").WithSummary("End a session: active → complete | abandoned | failed");
    }

    public static async Task<Results<Created<SessionModel>, ErrorResult>> Create(
        CreateSessionRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var (vin, stock, errors) = SessionValidation.Validate(request);
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        var siteId = request.SiteId!.Value;
        if (!await db.Sites.AnyAsync(s => s.Id == siteId && s.OrgId == caller.OrgId, ct))
            return new ErrorResult(Vehicle360Errors.NotFound("Site"));
        if (!Permissions.OnSite(caller, siteId))
            return new ErrorResult(Vehicle360Errors.Forbidden("You have no access to this site"));

        var now = clock.GetUtcNow();
        var vehicle = await FindOrCreateVehicleAsync(db, caller.OrgId, vin, stock, now, ct);
        var session = new CaptureSession
        {
            OrgId = caller.OrgId,
            SiteId = siteId,
            VehicleId = vehicle.Id,
            Mode = request.Mode!,
            ShotListJson = request.ShotList is { ValueKind: JsonValueKind.Object } list ? list.GetRawText() : null,
            OperatorId = caller.UserId,
            DeviceId = caller.Kind == CallerKind.Device ? caller.Id : null,
            StartedAt = now,
        };
        db.Add(session);
        await db.SaveChangesAsync(ct);
        var model = await LoadModelAsync(db, caller.OrgId, session.Id, ct);
        return TypedResults.Created($"sessions/{session.Id}", model!);
    }

    public static async Task<Results<Ok<SessionList>, ErrorResult>> List(
        [FromQuery(Name = "site_id")] Guid? siteId, string? status, [FromQuery(Name = "vehicle_id")] Guid? vehicleId, int? limit, int? offset,
        Caller caller, ScanportDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !SessionStatus.IsValid(status)) errors["status"] = ["must be one of active, complete, abandoned, failed"];
        var paging = new Vehicle360Paging(limit, offset);
        paging.Validate(errors);
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var query = Visible(db, caller);
        if (siteId is { } site) query = query.Where(s => s.SiteId == site);
        if (status is not null) query = query.Where(s => s.Status == status);
        if (vehicleId is { } vehicle) query = query.Where(s => s.VehicleId == vehicle);
        var total = await query.CountAsync(ct);
        var rows = await Project(db, paging.Apply(query.OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id)))
            .ToListAsync(ct);
        var items = rows.Select(r => new SessionListItem(r.Session.Id, r.Vehicle, r.Session.Mode, r.Session.Status, r.Operator, r.Site,
            r.Session.StartedAt, r.Session.CompletedAt, r.ImageCount)).ToList();
        return TypedResults.Ok(new SessionList(items, total, paging.Take, paging.Skip));
    }

    public static async Task<Results<Ok<SessionModel>, ErrorResult>> Get(string id, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var model = Guid.TryParse(id, out var sessionId) ? await LoadModelAsync(db, caller, sessionId, ct) : null;
        return model is null ? new ErrorResult(Vehicle360Errors.NotFound("Session")) : TypedResults.Ok(model);
    }

    public static async Task<Results<Ok<SessionModel>, ErrorResult>> Update(
        string id, UpdateSessionRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var sessionId)) return new ErrorResult(Vehicle360Errors.NotFound("Session"));
        var session = await Visible(db, caller).AsTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null) return new ErrorResult(Vehicle360Errors.NotFound("Session"));
        var now = clock.GetUtcNow();
        if (request.Status is null) return new ErrorResult(ApiError.Field("status", "is required"));
        if (request.Status is not (SessionStatus.Complete or SessionStatus.Abandoned or SessionStatus.Failed))
            return new ErrorResult(ApiError.Field("status", "must be one of complete, abandoned, failed"));
        if (request.CompletedAt is { } at && (at < session.StartedAt || at > now.AddMinutes(5)))
            return new ErrorResult(ApiError.Field("completed_at", "must lie between the session's start and now"));

        if (session.Status != request.Status)
        {
            if (!SessionStatus.CanMove(session.Status, request.Status))
                return new ErrorResult(Vehicle360Errors.Conflict($"A {session.Status} session cannot become {request.Status}"));
            session.Status = request.Status;
            session.CompletedAt = request.CompletedAt ?? now;
            await db.SaveChangesAsync(ct);
        }
        // The same end twice is a retry: answered with the session as it is.
        return TypedResults.Ok((await LoadModelAsync(db, caller.OrgId, session.Id, ct))!);
    }

    /// <summary>The caller's organization's sessions on the sites it may see.</summary>
    internal static IQueryable<CaptureSession> Visible(ScanportDb db, Caller caller)
    {
        var query = db.Set<CaptureSession>().AsNoTracking().Where(s => s.OrgId == caller.OrgId);
        return Permissions.VisibleSites(caller) is { } sites ? query.Where(s => sites.Contains(s.SiteId)) : query;
    }

    private static Task<SessionModel?> LoadModelAsync(ScanportDb db, Caller caller, Guid id, CancellationToken ct) =>
        LoadModelAsync(Visible(db, caller), db, id, ct);

    private static Task<SessionModel?> LoadModelAsync(ScanportDb db, Guid orgId, Guid id, CancellationToken ct) =>
        LoadModelAsync(db.Set<CaptureSession>().AsNoTracking().Where(s => s.OrgId == orgId), db, id, ct);

    private static async Task<SessionModel?> LoadModelAsync(IQueryable<CaptureSession> sessions, ScanportDb db, Guid id, CancellationToken ct)
    {
        var row = await Project(db, sessions.Where(s => s.Id == id)).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var device = row.Session.DeviceId is { } deviceId
            ? await db.Devices.AsNoTracking().Where(d => d.Id == deviceId).Select(d => new DeviceModel(d.Id, d.Model)).FirstOrDefaultAsync(ct)
            : null;
        var s = row.Session;
        return new SessionModel(s.Id, s.OrgId, s.SiteId, s.VehicleId, row.Vehicle, s.Mode, ShotList(s.ShotListJson), row.Operator, device,
            row.Site, s.Status, s.StartedAt, s.CompletedAt, row.ImageCount);
    }

    private sealed record SessionRow(CaptureSession Session, VehicleModel Vehicle, PersonModel? Operator, SiteModel Site, int ImageCount);

    /// <summary>A session with its vehicle, operator, site and image count, in one query.</summary>
    private static IQueryable<SessionRow> Project(ScanportDb db, IQueryable<CaptureSession> sessions) =>
        from s in sessions
        join v in db.Set<Vehicle>() on s.VehicleId equals v.Id
        join site in db.Sites on s.SiteId equals site.Id
        from u in db.Set<User>().Where(u => u.Id == s.OperatorId).DefaultIfEmpty()
        select new SessionRow(
            s,
            new VehicleModel(v.Id, v.Vin, v.Stock),
            u == null ? null : new PersonModel(u.Id, u.Name),
            new SiteModel(site.Id, site.Name),
            db.Set<VehicleImage>().Count(i => i.SessionId == s.Id));

    internal static JsonElement ShotList(string? json) => json is null ? EmptyObject : JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>The vehicle with this VIN (else this stock number) in the organization, created when there is none.</summary>
    private static async Task<Vehicle> FindOrCreateVehicleAsync(ScanportDb db, Guid orgId, string? vin, string? stock, DateTimeOffset now, CancellationToken ct)
    {
        var vehicles = db.Set<Vehicle>().Where(v => v.OrgId == orgId);
        var found = vin is not null
            ? await vehicles.FirstOrDefaultAsync(v => v.Vin == vin, ct)
            : await vehicles.Where(v => v.Stock == stock).OrderBy(v => v.CreatedAt).FirstOrDefaultAsync(ct);
        if (found is not null)
        {
            // A VIN seen before with a new stock number: the lot relabelled it.
            if (stock is not null && found.Stock != stock) found.Stock = stock;
            return found;
        }
        var vehicle = new Vehicle { OrgId = orgId, Vin = vin, Stock = stock, CreatedAt = now };
        db.Add(vehicle);
        try
        {
            await db.SaveChangesAsync(ct);
            return vehicle;
        }
        catch (DbUpdateException) when (vin is not null)
        {
            // Another request created the same VIN first.
            db.Entry(vehicle).State = EntityState.Detached;
            return await vehicles.FirstAsync(v => v.Vin == vin, ct);
        }
    }
}

internal static class SessionValidation
{
    // ISO 3779: 17 characters, digits and capitals without I, O and Q.
    private static readonly System.Buffers.SearchValues<char> VinChars = System.Buffers.SearchValues.Create("0123456789ABCDEFGHJKLMNPRSTUVWXYZ");

    public static (string? Vin, string? Stock, Dictionary<string, string[]> Errors) Validate(CreateSessionRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.SiteId is null) errors["site_id"] = ["is required"];
        if (r.Mode is null) errors["mode"] = ["is required"];
        else if (!SessionModes.IsValid(r.Mode)) errors["mode"] = ["must be one of studio360, walk360, stills"];
        string? vin = null, stock = null;
        if (r.Vehicle is null) errors["vehicle"] = ["is required"];
        else
        {
            vin = string.IsNullOrWhiteSpace(r.Vehicle.Vin) ? null : r.Vehicle.Vin.Trim().ToUpperInvariant();
            stock = string.IsNullOrWhiteSpace(r.Vehicle.Stock) ? null : r.Vehicle.Stock.Trim();
            if (vin is null && stock is null) errors["vehicle"] = ["needs a vin or a stock number"];
            if (vin is not null && (vin.Length != 17 || vin.AsSpan().ContainsAnyExcept(VinChars)))
                errors["vehicle.vin"] = ["must be 17 characters: digits and letters other than I, O and Q"];
            if (stock is { Length: > 64 }) errors["vehicle.stock"] = ["must be at most 64 characters"];
        }
        if (r.ShotList is { } list)
        {
            if (list.ValueKind == JsonValueKind.Null) { }
            else if (list.ValueKind != JsonValueKind.Object) errors["shot_list"] = ["must be an object"];
            else ValidateShotList(list, errors);
        }
        return (vin, stock, errors);
    }

    private static void ValidateShotList(JsonElement list, Dictionary<string, string[]> errors)
    {
        if (list.GetRawText().Length > 16 * 1024) errors["shot_list"] = ["must be at most 16 KiB"];
        if (list.TryGetProperty(SessionModes.Studio360, out var studio))
        {
            // TryGetInt32 throws on a non-number (a string "24"), so the kind is checked first.
            if (studio.ValueKind != JsonValueKind.Object || !studio.TryGetProperty("frame_count", out var count)
                || count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out var n) || n is < 1 or > 360)
                errors["shot_list.studio360.frame_count"] = ["must be an integer between 1 and 360"];
        }
        if (list.TryGetProperty(SessionModes.Stills, out var stills))
        {
            if (stills.ValueKind != JsonValueKind.Array || stills.GetArrayLength() > 100
                || stills.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String || s.GetString()!.Length is 0 or > 64))
                errors["shot_list.stills"] = ["must be a list of up to 100 shot names of 1 to 64 characters"];
        }
    }

    /// <summary>The studio frame count and the stills' names a session's shot list gives.</summary>
    public static (int? FrameCount, string[] Stills) Read(string? shotListJson)
    {
        if (shotListJson is null) return (null, []);
        var root = JsonDocument.Parse(shotListJson).RootElement;
        int? frames = root.TryGetProperty(SessionModes.Studio360, out var studio) && studio.ValueKind == JsonValueKind.Object
            && studio.TryGetProperty("frame_count", out var c) && c.TryGetInt32(out var n) ? n : null;
        var stills = root.TryGetProperty(SessionModes.Stills, out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : [];
        return (frames, stills);
    }
}
