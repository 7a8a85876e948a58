using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

internal static class EnrollmentCodesEndpoint
{
    // No 0/O or 1/I/L: codes are read off a screen and typed on a phone.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static void MapEnrollmentCodes(this RouteGroupBuilder api) =>
        api.MapPost("/devices/enrollment-codes", Create).WithTags("Devices").RequireAuthorization(IdentityModule.AdminPolicy)
            .WithName("CreateEnrollmentCode").WithSummary("Create a one-time code that lets one device enroll");

    public static async Task<Results<Created<EnrollmentCodeResponse>, ErrorResult>> Create(
        EnrollmentCodeRequest? request, Caller caller, ScanportDb db, TimeProvider clock, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var lifetime = request?.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.EnrollmentCodeLifetime;
        if (request?.ExpiresIn is < 60 or > 30 * 24 * 3600)
            return PlatformErrors.Invalid("expires_in", "must be between 60 and 2592000 seconds");
        if (request?.SiteId is { } siteId && !await db.Sites.AnyAsync(s => s.Id == siteId && s.OrgId == caller.OrgId, ct))
            return PlatformErrors.Invalid("site_id", "must be a site of your organization");
        var code = RandomNumberGenerator.GetString(Alphabet, 12);
        var now = clock.GetUtcNow();
        var row = new EnrollmentCode
        {
            OrgId = caller.OrgId,
            CodeHash = EnrollmentCode.HashOf(code),
            SiteId = request?.SiteId,
            CreatedBy = caller.UserId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.EnrollmentCodes.Add(row);
        await db.SaveChangesAsync(ct);
        var display = $"{code[..4]}-{code[4..8]}-{code[8..]}";
        return TypedResults.Created((string?)null, new EnrollmentCodeResponse(display, row.SiteId, row.ExpiresAt));
    }
}
