using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>APS's <c>UserInfo</c>, the fields Scanport knows.</summary>
public sealed record ApsUserInfo(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("preferred_username")] string PreferredUsername,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("updated_at")] long UpdatedAt);

/// <summary><c>GET /userinfo</c>: the signed-in user of a three-legged token with <c>user-profile:read</c>.</summary>
internal static class UserInfoEndpoint
{
    public static async Task<Results<Ok<ApsUserInfo>, ErrorResult>> UserInfo(Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (!caller.IsUser) return new ErrorResult(new ApiError(StatusCodes.Status403Forbidden, "A two-legged token has no user: use a three-legged token."));
        var user = await db.Users.AsNoTracking().Where(u => u.Id == caller.Id && u.OrgId == caller.OrgId)
            .Select(u => new { u.Id, u.Name, u.Email, u.UpdatedAt }).FirstOrDefaultAsync(ct);
        if (user is null) return new ErrorResult(new ApiError(StatusCodes.Status401Unauthorized, "The user no longer exists."));
        return TypedResults.Ok(new ApsUserInfo(user.Id.ToString(), user.Name ?? user.Email, user.Email, user.Email,
            EmailVerified: false, user.UpdatedAt.ToUnixTimeSeconds()));
    }
}
