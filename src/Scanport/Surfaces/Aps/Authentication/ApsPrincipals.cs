using System.Globalization;
using System.Security.Claims;
using OpenIddict.Abstractions;
using Scanport.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// What an APS token says of its principal: the claims the platform's own tokens carry (<see cref="ClaimNames"/>), so that
/// <see cref="Caller.From"/> reads it like any other token and the platform's rules apply.
/// </summary>
internal static class ApsPrincipals
{
    /// <summary>A two-legged token: the API key acting as itself.</summary>
    public static ClaimsPrincipal ForApiKey(ApiKey key, IEnumerable<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(ClaimNames.Subject, key.Id.ToString())
            .SetClaim(ClaimNames.OrgId, key.OrgId.ToString())
            .SetClaim(ClaimNames.Role, key.Role)
            .SetClaim(ClaimNames.Kind, CallerKind.ApiKey);
        return Finish(identity, scopes);
    }

    /// <summary>
    /// A three-legged token: the user as they are now (role, sites, security stamp), with the scopes they consented to.
    /// <paramref name="granted"/> is the principal of the code or refresh token being redeemed, whose OpenIddict claims
    /// (the authorization it belongs to) are kept.
    /// </summary>
    public static ClaimsPrincipal ForUser(User user, IEnumerable<string> scopes, ClaimsPrincipal? granted = null)
    {
        var identity = granted is null ? NewIdentity() : new ClaimsIdentity(granted.Claims, "Aps", Claims.Subject, Claims.Role);
        identity.SetClaim(ClaimNames.Subject, user.Id.ToString())
            .SetClaim(ClaimNames.OrgId, user.OrgId.ToString())
            .SetClaim(ClaimNames.Role, user.Role)
            .SetClaim(ClaimNames.Stamp, user.SecurityStamp.ToString(CultureInfo.InvariantCulture))
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.Name ?? user.Email)
            .SetClaims(ClaimNames.SiteIds, [.. user.Sites.Select(s => s.SiteId.ToString())]);
        return Finish(identity, scopes);
    }

    private static ClaimsIdentity NewIdentity() => new("Aps", Claims.Subject, Claims.Role);

    private static ClaimsPrincipal Finish(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        // Everything goes in the access token; the id token (scope openid) tells the client who signed in, nothing more.
        identity.SetDestinations(claim => claim.Type is Claims.Subject or Claims.Email or Claims.Name && identity.HasScope(Scopes.OpenId)
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
