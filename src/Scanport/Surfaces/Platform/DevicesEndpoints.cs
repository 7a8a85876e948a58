using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

internal static class DevicesEndpoints
{
    public static void MapDevices(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices").RequireAuthorization(IdentityModule.AdminPolicy);
        devices.MapGet("/", List).ProducesErrors(400).WithName("ListDevices").WithSummary("List the organization's enrolled devices, revoked ones included");
        devices.MapDelete("/{id:guid}", Revoke).WithName("RevokeDevice").WithSummary("Revoke a device: its tokens, and its self-renewal, stop at once");
    }

    public static async Task<Results<Ok<Page<DeviceResponse>>, ErrorResult>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        return TypedResults.Ok(await paging.ApplyAsync(db.Devices.Where(d => d.OrgId == caller.OrgId).OrderBy(d => d.Id)
            .Select(d => new DeviceResponse(d.Id, d.Platform, d.Model, d.AppVersion, d.SiteId, d.CreatedAt, d.LastSeenAt, d.RevokedAt)), ct));
    }

    public static async Task<Results<NoContent, ErrorResult>> Revoke(
        Guid id, Caller caller, ScanportDb db, PrincipalStates principals, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var found = await db.Devices.Where(d => d.Id == id && d.OrgId == caller.OrgId)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.RevokedAt, x => x.RevokedAt ?? now), ct);
        principals.Forget(id);
        return found == 0 ? PlatformErrors.NotFound("Device") : TypedResults.NoContent();
    }
}

public sealed record DeviceResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("app_version")] string? AppVersion,
    [property: JsonPropertyName("site_id")] Guid? SiteId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_seen_at")] DateTimeOffset LastSeenAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt);
