using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

internal static class MeEndpoint
{
    public static void MapMe(this RouteGroupBuilder api) =>
        api.MapGet("/me", Me).WithName("GetMe").WithSummary("Who the bearer token belongs to");

    public static async Task<Results<Ok<MeResponse>, ErrorResult>> Me(Caller caller, ScanportDb db, CancellationToken ct)
    {
        var orgName = await db.Organizations.Where(o => o.Id == caller.OrgId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        if (orgName is null) return PlatformErrors.NotFound("Organization");
        if (caller.IsUser)
        {
            var user = await db.Users.Where(u => u.Id == caller.Id && u.OrgId == caller.OrgId)
                .Select(u => new { u.Email, u.Name, u.Role, Sites = u.Sites.Select(s => s.SiteId).ToList() })
                .FirstOrDefaultAsync(ct);
            if (user is null) return PlatformErrors.NotFound("User");
            return TypedResults.Ok(new MeResponse(caller.Id, caller.Kind, caller.OrgId, orgName, user.Role, user.Email, user.Name, user.Sites));
        }
        var name = caller.Kind == CallerKind.ApiKey
            ? await db.ApiKeys.Where(k => k.Id == caller.Id).Select(k => k.Name).FirstOrDefaultAsync(ct)
            : await db.Devices.Where(d => d.Id == caller.Id).Select(d => d.Model).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new MeResponse(caller.Id, caller.Kind, caller.OrgId, orgName, caller.Role, null, name, caller.SiteIds));
    }
}
