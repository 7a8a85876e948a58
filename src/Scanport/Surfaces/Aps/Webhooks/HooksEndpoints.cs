using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>The services a hooks handler uses.</summary>
internal sealed record HookServices(ScanportDb Db, CallbackNetworks Networks, TimeProvider Clock);

/// <summary>Webhooks: create, list, read, update, delete, each within the caller's organization.</summary>
internal static class HooksEndpoints
{
    public static Task<IResult> CreateForEvent(string system, string @event, JsonElement body, Caller caller, HttpContext http,
        [AsParameters] HookServices s) => CreateAsync(system, @event, body, caller, http, s);

    public static Task<IResult> CreateForSystem(string system, JsonElement body, Caller caller, HttpContext http, [AsParameters] HookServices s) =>
        CreateAsync(system, null, body, caller, http, s);

    private static async Task<IResult> CreateAsync(string system, string? @event, JsonElement body, Caller caller, HttpContext http, HookServices s)
    {
        if (HookRules.UnknownSystemOrEvent(system, @event) is { } unknown) return Bad(unknown);
        if (!Permissions.WritesApsData(caller)) return new ErrorResult(ApiError.Forbidden("Reviewers may read webhooks, not create them."));
        var region = HookRules.Region(http.Request, out var error);
        if (body.ValueKind != JsonValueKind.Object) return Bad("The request body must be a JSON object");
        var now = s.Clock.GetUtcNow();
        var fields = new JsonFields(body);
        var url = HookRules.CallbackUrl(fields.String("callbackUrl", ref error), ref error);
        var scope = fields.Object("scope", ref error);
        string? workflow = null;
        if (scope is null) error ??= "scope is required";
        else if (!scope.Value.TryGetProperty("workflow", out var w) || w.ValueKind != JsonValueKind.String)
            error ??= "scope.workflow is required: the derivative system's hooks are scoped to a Model Derivative workflow id";
        else if (!HookRules.Workflow().IsMatch(workflow = w.GetString()!))
            error ??= "scope.workflow must be 1 to 36 letters, digits and hyphens";
        var attribute = HookRules.Attribute(fields.Object("hookAttribute", ref error), ref error);
        var filter = HookRules.Filter(fields.String("filter", ref error), ref error);
        var hubId = HookRules.Limited(fields.String("hubId", ref error), "hubId", HookRules.MaxNameLength, ref error);
        var projectId = HookRules.Limited(fields.String("projectId", ref error), "projectId", HookRules.MaxNameLength, ref error);
        var tenant = HookRules.Limited(fields.String("tenant", ref error), "tenant", HookRules.MaxNameLength, ref error);
        var autoReactivate = fields.Bool("autoReactivateHook", ref error) ?? false;
        var expiry = HookRules.Expiry(fields.String("hookExpiry", ref error), now, ref error);
        var payloadOnly = fields.Bool("callbackWithEventPayloadOnly", ref error) ?? false;
        if (error is not null) return Bad(error);
        if (await s.Networks.RefusalAsync(url!, http.RequestAborted) is { } refusal) return Bad(refusal);

        var callback = url!.OriginalString;
        var events = @event is null ? HookRules.Systems[system] : [@event];
        if (await s.Db.ApsHooks.AnyAsync(h => h.OrgId == caller.OrgId && h.Region == region && h.System == system
                && events.Contains(h.Event) && h.Workflow == workflow && h.CallbackUrl == callback, http.RequestAborted))
            return Conflict(callback);
        var hooks = events.Select(e => new ApsHook
        {
            OrgId = caller.OrgId,
            CreatedBy = caller.Id,
            CreatorType = caller.Kind == CallerKind.ApiKey ? "Application" : "O2User",
            System = system,
            Event = e,
            Workflow = workflow!,
            CallbackUrl = callback,
            Tenant = tenant,
            HubId = hubId,
            ProjectId = projectId,
            HookAttribute = attribute,
            Filter = filter,
            AutoReactivateHook = autoReactivate,
            HookExpiry = expiry,
            CallbackWithEventPayloadOnly = payloadOnly,
            Region = region!,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        s.Db.ApsHooks.AddRange(hooks);
        try
        {
            await s.Db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // A twin created at the same moment won the unique index.
            return Conflict(callback);
        }
        http.Response.Headers.Location = "/webhooks/v1" + HookDetails.SelfOf(hooks[0]);
        return @event is null ? TypedResults.Json(new CreatedHooks([.. hooks.Select(HookDetails.Of)]), statusCode: 201) : TypedResults.StatusCode(201);
    }

    public static Task<IResult> ListAll(Caller caller, HttpContext http, ScanportDb db, TimeProvider clock) =>
        ListAsync(null, null, caller, http, db, clock, "/hooks");

    public static Task<IResult> ListForSystem(string system, Caller caller, HttpContext http, ScanportDb db, TimeProvider clock) =>
        ListAsync(system, null, caller, http, db, clock, $"/systems/{system}/hooks");

    public static Task<IResult> ListForEvent(string system, string @event, Caller caller, HttpContext http, ScanportDb db, TimeProvider clock) =>
        ListAsync(system, @event, caller, http, db, clock, $"/systems/{system}/events/{@event}/hooks");

    /// <summary>The two-legged app's own hooks, by their last update (newest first unless <c>sort=asc</c>).</summary>
    public static Task<IResult> ListForApp(Caller caller, HttpContext http, ScanportDb db, TimeProvider clock) =>
        caller.Kind != CallerKind.ApiKey
            ? Task.FromResult<IResult>(new ErrorResult(ApiError.Forbidden("Listing an app's webhooks needs a two-legged token.")))
            : ListAsync(null, null, caller, http, db, clock, "/app/hooks", appOnly: true);

    private static async Task<IResult> ListAsync(string? system, string? @event, Caller caller, HttpContext http, ScanportDb db, TimeProvider clock,
        string self, bool appOnly = false)
    {
        if (system is not null && HookRules.UnknownSystemOrEvent(system, @event) is { } unknown) return Bad(unknown);
        var region = HookRules.Region(http.Request, out var error);
        if (error is not null) return Bad(error);
        var query = http.Request.Query;
        var status = query["status"].FirstOrDefault();
        if (status is not (null or HookStatus.Active or HookStatus.Inactive)) return Bad("status must be active or inactive");
        var sort = query["sort"].FirstOrDefault();
        if (sort is not (null or "asc" or "desc")) return Bad("sort must be asc or desc");
        if (HookRules.Offset(query["pageState"].FirstOrDefault()) is not { } offset) return Bad("pageState is not one this server gave");

        var hooks = Visible(db, caller, clock.GetUtcNow()).Where(h => h.Region == region);
        if (appOnly) hooks = hooks.Where(h => h.CreatedBy == caller.Id);
        if (system is not null) hooks = hooks.Where(h => h.System == system);
        if (@event is not null) hooks = hooks.Where(h => h.Event == @event);
        // scopeName filters by the scope's kind; a derivative hook's is always a workflow.
        if (query["scopeName"].FirstOrDefault() is { Length: > 0 } scopeName && scopeName != "workflow") hooks = hooks.Where(_ => false);
        if (status == HookStatus.Active) hooks = hooks.Where(h => h.Status != HookStatus.Inactive);
        else if (status == HookStatus.Inactive) hooks = hooks.Where(h => h.Status == HookStatus.Inactive);
        hooks = !appOnly ? hooks.OrderBy(h => h.Id) : sort == "asc" ? hooks.OrderBy(h => h.UpdatedAt).ThenBy(h => h.Id)
            : hooks.OrderByDescending(h => h.UpdatedAt).ThenByDescending(h => h.Id);
        var page = await hooks.Skip(offset).Take(HookRules.PageSize + 1).ToListAsync(http.RequestAborted);
        if (page.Count == 0) return TypedResults.NoContent();
        var next = page.Count > HookRules.PageSize
            ? $"{self}?pageState={Uri.EscapeDataString(HookRules.PageState(offset + HookRules.PageSize))}" + (region != "US" ? $"&region={region}" : "")
            : null;
        return TypedResults.Ok(new HooksPage(new HooksLinks(next), [.. page.Take(HookRules.PageSize).Select(HookDetails.Of)]));
    }

    public static async Task<IResult> Get(string system, string @event, string hookId, Caller caller, HttpContext http, ScanportDb db, TimeProvider clock)
    {
        if (HookRules.UnknownSystemOrEvent(system, @event) is { } unknown) return Bad(unknown);
        return await FindAsync(db, caller, system, @event, hookId, clock, http.RequestAborted) is { } hook
            ? TypedResults.Ok(HookDetails.Of(hook)) : NotFound(hookId);
    }

    public static async Task<IResult> Patch(string system, string @event, string hookId, JsonElement body, Caller caller, HttpContext http,
        ScanportDb db, TimeProvider clock)
    {
        if (HookRules.UnknownSystemOrEvent(system, @event) is { } unknown) return Bad(unknown);
        if (await FindAsync(db, caller, system, @event, hookId, clock, http.RequestAborted, tracked: true) is not { } hook) return NotFound(hookId);
        if (!Permissions.MayChangeApsHook(caller, hook.CreatedBy))
            return new ErrorResult(ApiError.Forbidden("Only an admin or the hook's creator may change it."));
        if (body.ValueKind != JsonValueKind.Object) return Bad("The request body must be a JSON object");
        var now = clock.GetUtcNow();
        var fields = new JsonFields(body);
        string? error = null;
        var status = fields.String("status", ref error);
        if (status is not (null or HookStatus.Active or HookStatus.Inactive)) error ??= "status must be active or inactive";
        var autoReactivate = fields.Bool("autoReactivateHook", ref error);
        var filter = HookRules.Filter(fields.String("filter", ref error), ref error);
        var attribute = HookRules.Attribute(fields.Object("hookAttribute", ref error), ref error);
        var token = fields.Has("token") && !fields.IsNull("token") ? HookRules.Token(fields.String("token", ref error), ref error) : null;
        var expiry = HookRules.Expiry(fields.String("hookExpiry", ref error), now, ref error);
        var payloadOnly = fields.Bool("callbackWithEventPayloadOnly", ref error);
        string[] known = ["status", "autoReactivateHook", "filter", "hookAttribute", "token", "hookExpiry", "callbackWithEventPayloadOnly"];
        if (!known.Any(fields.Has)) error ??= $"Nothing to update: give one of {string.Join(", ", known)}";
        if (error is not null) return Bad(error);

        if (status is not null)
        {
            hook.Status = status;
            // Set active by hand, a hook starts over: no failures counted, no reactivation pending.
            if (status == HookStatus.Active) (hook.FailedEvents, hook.InactiveSince, hook.FailedReactivations) = (0, null, 0);
        }
        if (autoReactivate is { } auto) hook.AutoReactivateHook = auto;
        if (fields.Has("filter")) hook.Filter = filter;
        if (fields.Has("hookAttribute")) hook.HookAttribute = attribute;
        if (fields.Has("token")) hook.Token = token;
        if (fields.Has("hookExpiry")) hook.HookExpiry = expiry;
        if (payloadOnly is { } only) hook.CallbackWithEventPayloadOnly = only;
        hook.UpdatedAt = now;
        await db.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Ok(HookDetails.Of(hook));
    }

    public static async Task<IResult> Delete(string system, string @event, string hookId, Caller caller, HttpContext http, ScanportDb db, TimeProvider clock)
    {
        if (HookRules.UnknownSystemOrEvent(system, @event) is { } unknown) return Bad(unknown);
        if (await FindAsync(db, caller, system, @event, hookId, clock, http.RequestAborted) is not { } hook) return NotFound(hookId);
        if (!Permissions.MayChangeApsHook(caller, hook.CreatedBy))
            return new ErrorResult(ApiError.Forbidden("Only an admin or the hook's creator may delete it."));
        await db.ApsHooks.Where(h => h.Id == hook.Id).ExecuteDeleteAsync(http.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>The organization's unexpired hooks the caller sees: all of them for admins and reviewers, else its own.</summary>
    private static IQueryable<ApsHook> Visible(ScanportDb db, Caller caller, DateTimeOffset now)
    {
        var hooks = db.ApsHooks.Where(h => h.OrgId == caller.OrgId && (h.HookExpiry == null || h.HookExpiry > now));
        return Permissions.SeesEveryApsHook(caller) ? hooks : hooks.Where(h => h.CreatedBy == caller.Id);
    }

    private static async Task<ApsHook?> FindAsync(ScanportDb db, Caller caller, string system, string @event, string hookId, TimeProvider clock,
        CancellationToken ct, bool tracked = false)
    {
        if (!Guid.TryParse(hookId, out var id)) return null;
        var hooks = Visible(db, caller, clock.GetUtcNow()).Where(h => h.Id == id && h.System == system && h.Event == @event);
        return await (tracked ? hooks : hooks.AsNoTracking()).FirstOrDefaultAsync(ct);
    }

    private static ErrorResult Bad(string message) => new(WebhooksErrorShape.BadInput(message));

    private static ErrorResult NotFound(string hookId) => new(ApiError.NotFound($"Hook {hookId} was not found"));

    private static ErrorResult Conflict(string callback) =>
        new(ApiError.Conflict($"A hook for this event and scope with callbackUrl {callback} already exists"));
}
