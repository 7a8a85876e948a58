using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>The scopes as APS names them, and the rule an APS endpoint states with them.</summary>
public static class ApsScopes
{
    public static readonly string[] All =
    [
        "data:read", "data:write", "data:create", "data:search",
        "bucket:create", "bucket:read", "bucket:update", "bucket:delete",
        "code:all", "account:read", "account:write", "user-profile:read", "viewables:read",
        OpenIddictConstants.Scopes.OpenId,
    ];

    /// <summary>
    /// An APS endpoint: the caller is authenticated by an APS access token (<see cref="ApsBearer"/>) that carries one of
    /// <paramref name="scopes"/>; without a token 401, with a token lacking them 403, both in APS's error shape. The
    /// platform's own rules (<c>Permissions</c>) still apply to the <c>Caller</c> the token yields.
    /// </summary>
    public static TBuilder RequireApsScope<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(ApsBearer.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => scopes.Any(context.User.HasScope))
            .Build());
}
