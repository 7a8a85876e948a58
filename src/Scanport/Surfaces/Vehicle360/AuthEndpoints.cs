using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Identity.Oidc;

namespace Scanport.Surfaces.Vehicle360;

internal static class AuthEndpoints
{
    public const string EnrollmentCodeHeader = "X-Enrollment-Code";
    private static readonly string[] Platforms = ["ios", "android", "edge"];

    public static void MapVehicle360Auth(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/device", EnrollDevice).AllowAnonymous().ProducesErrors(403).RequireRateLimiting(Vehicle360Api.DeviceAuthLimit)
            .WithName("V360EnrollDevice").WithSummary("Enroll a device with an enrollment code, or refresh its token (send the current one)");
        api.MapPost("/auth/login", Login).AllowAnonymous().ProducesErrors(401, 403)
            .WithName("V360Login").WithSummary("Exchange an id_token of a trusted OIDC issuer for an 8-hour user token");
    }

    /// <summary>
    /// Signs a user in with an OIDC id_token: signature, issuer, audience and expiry checked against a configured
    /// issuer's published keys; the user found by linked subject or verified email.
    /// </summary>
    public static async Task<Results<Ok<LoginResponse>, ErrorResult>> Login(
        LoginRequest request, OidcTokenValidator validator, OidcUserResolver users, TokenIssuer tokens, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.IdToken)) return new ErrorResult(ApiError.Field("id_token", "is required"));
        if (request.IdToken.Length > 16 * 1024) return new ErrorResult(ApiError.Field("id_token", "is too long to be an id_token"));
        var validated = await validator.ValidateAsync(request.IdToken, ct);
        if (validated.Identity is not { } identity)
            return new ErrorResult(new ApiError(StatusCodes.Status401Unauthorized, $"Invalid OIDC token: {validated.Error}", Code: "unauthorized"));
        var user = await users.ResolveAsync(identity, ct);
        if (user is null) return new ErrorResult(Vehicle360Errors.Forbidden("No user of any organization matches this sign-in"));
        var token = tokens.ForUser(user);
        return TypedResults.Ok(new LoginResponse(user.Id, token.AccessToken, token.ExpiresIn));
    }

    /// <summary>
    /// Enrolls a new device, which needs a valid one-time enrollment code unless its organization has open
    /// enrollment; or, when the request carries the device's own valid token, refreshes it (same device).
    /// </summary>
    public static async Task<Results<Ok<DeviceAuthResponse>, ErrorResult>> EnrollDevice(
        DeviceAuthRequest request, HttpContext context, ScanportDb db, TokenIssuer tokens, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { Count: > 0 } errors) return new ErrorResult(ApiError.Validation(errors));
        var orgId = request.OrgId!.Value;
        var now = clock.GetUtcNow();

        if (Caller.From(context.User) is { Kind: CallerKind.Device } current && current.OrgId == orgId)
        {
            var known = await db.Devices.FirstOrDefaultAsync(d => d.Id == current.Id && d.OrgId == orgId && d.RevokedAt == null, ct);
            if (known is not null)
            {
                Describe(known, request, now);
                await db.SaveChangesAsync(ct);
                return Issued(known, tokens);
            }
        }

        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgId, ct);
        var code = request.EnrollmentCode ?? context.Request.Headers[EnrollmentCodeHeader].FirstOrDefault();
        // Unknown organizations get the same answer as a missing code: enrollment says nothing about which ids exist.
        if (org is null || (string.IsNullOrWhiteSpace(code) && !org.OpenEnrollment))
            return new ErrorResult(Vehicle360Errors.Forbidden("Enrollment needs a valid enrollment code for this organization"));

        var device = new Device { OrgId = orgId, Platform = request.Platform!, CreatedAt = now };
        Describe(device, request, now);
        if (!string.IsNullOrWhiteSpace(code))
        {
            var hash = EnrollmentCode.HashOf(code);
            var enrollment = await db.EnrollmentCodes.AsNoTracking()
                .FirstOrDefaultAsync(c => c.CodeHash == hash && c.OrgId == orgId && c.UsedAt == null && c.ExpiresAt > now, ct);
            if (enrollment is null)
                return new ErrorResult(Vehicle360Errors.Forbidden("The enrollment code is unknown, used or expired"));
            device.SiteId = enrollment.SiteId;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Devices.Add(device);
            await db.SaveChangesAsync(ct);
            // One use only: of two devices racing with the same code, one wins.
            var claimed = await db.EnrollmentCodes.Where(c => c.Id == enrollment.Id && c.UsedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, now).SetProperty(c => c.DeviceId, device.Id), ct);
            if (claimed == 0)
                return new ErrorResult(Vehicle360Errors.Forbidden("The enrollment code is unknown, used or expired"));
            await tx.CommitAsync(ct);
        }
        else
        {
            db.Devices.Add(device);
            await db.SaveChangesAsync(ct);
        }
        return Issued(device, tokens);
    }

    private static Ok<DeviceAuthResponse> Issued(Device device, TokenIssuer tokens)
    {
        var token = tokens.ForDevice(device.Id, device.OrgId, device.SiteId);
        return TypedResults.Ok(new DeviceAuthResponse(device.Id, token.AccessToken, token.ExpiresIn));
    }

    private static void Describe(Device device, DeviceAuthRequest request, DateTimeOffset now)
    {
        device.Platform = request.Platform!;
        device.Model = request.Model!.Trim();
        device.AppVersion = request.AppVersion!.Trim();
        device.LastSeenAt = now;
    }

    private static Dictionary<string, string[]> Validate(DeviceAuthRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.OrgId is null) errors["org_id"] = ["is required"];
        if (r.Platform is null) errors["platform"] = ["is required"];
        else if (!Platforms.Contains(r.Platform)) errors["platform"] = ["must be one of ios, android, edge"];
        if (string.IsNullOrWhiteSpace(r.Model)) errors["model"] = ["is required"];
        else if (r.Model.Length > 200) errors["model"] = ["must be at most 200 characters"];
        if (string.IsNullOrWhiteSpace(r.AppVersion)) errors["app_version"] = ["is required"];
        else if (r.AppVersion.Length > 64) errors["app_version"] = ["must be at most 64 characters"];
        if (r.EnrollmentCode is { Length: > 64 }) errors["enrollment_code"] = ["must be at most 64 characters"];
        return errors;
    }
}
