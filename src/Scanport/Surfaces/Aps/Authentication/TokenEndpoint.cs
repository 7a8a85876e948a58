using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Scanport.Data;
using Scanport.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// <c>POST /authentication/v2/token</c>. OpenIddict has already authenticated the client (an API key, see
/// <see cref="ApsClients"/>), checked the grant, the code with its PKCE verifier, or the refresh token (and will rotate it);
/// this says who the token is for.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> Token(HttpContext context, ScanportDb db, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        if (request.IsClientCredentialsGrantType())
        {
            var keyId = Guid.Parse(request.ClientId!);
            var key = await db.ApiKeys.AsNoTracking().FirstAsync(k => k.Id == keyId, ct);
            return SignIn(ApsPrincipals.ForApiKey(key, request.GetScopes()));
        }
        // authorization_code or refresh_token: the only other grants OpenIddict lets through.
        var granted = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = Guid.TryParse(granted?.GetClaim(Claims.Subject), out var userId)
            ? await db.Users.AsNoTracking().Include(u => u.Sites).FirstOrDefaultAsync(u => u.Id == userId, ct)
            : null;
        // A user deleted, or whose password, role or sites changed since they consented, must sign in again.
        if (granted is null || user is null || granted.GetClaim(ClaimNames.Stamp) != user.SecurityStamp.ToString(System.Globalization.CultureInfo.InvariantCulture))
            return InvalidGrant("The user is gone or has changed since the grant; sign in again.");
        return SignIn(ApsPrincipals.ForUser(user, granted.GetScopes(), granted));
    }

    private static IResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static IResult InvalidGrant(string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
