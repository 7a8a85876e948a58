using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

internal static class SitesEndpoints
{
    public static void MapSites(this RouteGroupBuilder api)
    {
        var sites = api.MapGroup("/sites").WithTags("Sites");
        sites.MapPost("/", Create).ProducesErrors(409).RequireAuthorization(IdentityModule.AdminPolicy).WithName("CreateSite").WithSummary("Create a site");
        sites.MapGet("/", List).ProducesErrors(400).WithName("ListSites").WithSummary("List the organization's sites");
        sites.MapGet("/{id:guid}", Get).WithName("GetSite").WithSummary("Get a site");
        sites.MapDelete("/{id:guid}", Delete).RequireAuthorization(IdentityModule.AdminPolicy).WithName("DeleteSite").WithSummary("Delete a site");
    }

    public static async Task<Results<Created<SiteResponse>, ErrorResult>> Create(
        SiteRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return PlatformErrors.Invalid("name", "is required (1 to 200 characters)");
        if (request.Timezone is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            return PlatformErrors.Invalid("timezone", "must be an IANA time zone such as Europe/Berlin");
        if (await db.Sites.AnyAsync(s => s.OrgId == caller.OrgId && s.Name == name, ct))
            return PlatformErrors.Conflict($"A site named '{name}' already exists");
        var site = new Site { OrgId = caller.OrgId, Name = name, Timezone = request.Timezone, CreatedAt = clock.GetUtcNow() };
        db.Sites.Add(site);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request took the name between the check above and this insert.
            db.ChangeTracker.Clear();
            if (await db.Sites.AnyAsync(s => s.OrgId == caller.OrgId && s.Name == name, ct))
                return PlatformErrors.Conflict($"A site named '{name}' already exists");
            throw;
        }
        return TypedResults.Created($"{PlatformApi.BasePath}/sites/{site.Id}", ToResponse(site));
    }

    public static async Task<Results<Ok<Page<SiteResponse>>, ErrorResult>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var query = db.Sites.Where(s => s.OrgId == caller.OrgId);
        if (Permissions.VisibleSites(caller) is { } visible) query = query.Where(s => visible.Contains(s.Id));
        var page = await paging.ApplyAsync(query.OrderBy(s => s.Name).ThenBy(s => s.Id)
            .Select(s => new SiteResponse(s.Id, s.OrgId, s.Name, s.Timezone, s.CreatedAt)), ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<SiteResponse>, ErrorResult>> Get(Guid id, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (!Permissions.OnSite(caller, id)) return PlatformErrors.NotFound("Site");
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.OrgId == caller.OrgId, ct);
        return site is null ? PlatformErrors.NotFound("Site") : TypedResults.Ok(ToResponse(site));
    }

    public static async Task<Results<NoContent, ErrorResult>> Delete(Guid id, Caller caller, ScanportDb db, CancellationToken ct) =>
        await db.Sites.Where(s => s.Id == id && s.OrgId == caller.OrgId).ExecuteDeleteAsync(ct) == 0
            ? PlatformErrors.NotFound("Site")
            : TypedResults.NoContent();

    private static SiteResponse ToResponse(Site s) => new(s.Id, s.OrgId, s.Name, s.Timezone, s.CreatedAt);
}
