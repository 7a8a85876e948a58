using OpenIddict.Abstractions;
using OpenIddict.Server;
using Scanport.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>Where APS answers differently from OpenIddict's defaults.</summary>
internal static class ApsServerEvents
{
    public static OpenIddictServerBuilder UseApsAnswers(this OpenIddictServerBuilder server) => server
        // APS gives a refresh token with every three-legged token, without OpenID Connect's offline_access scope.
        .AddEventHandler<ProcessSignInContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (context.EndpointType == OpenIddictServerEndpointType.Token
                    && (context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType()))
                    context.GenerateRefreshToken = context.IncludeRefreshToken = true;
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.EvaluateGeneratedTokens.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        // APS's introspection names the token's scopes, and its user for a three-legged token, to the client it was
        // issued to (OpenIddict has already refused any other caller); OpenIddict would tell only an audience.
        .AddEventHandler<HandleIntrospectionRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                var principal = context.GenericTokenPrincipal;
                if (principal is null) return default;
                context.Scopes.UnionWith(principal.GetScopes());
                if (principal.GetClaim(ClaimNames.Kind) != CallerKind.ApiKey && principal.GetClaim(Claims.Subject) is { } user)
                    context.Claims["userid"] = user;
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Introspection.AttachApplicationClaims.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        .AddEventHandler<ApplyTokenResponseContext>(WithDeveloperMessage<ApplyTokenResponseContext>)
        .AddEventHandler<ApplyRevocationResponseContext>(WithDeveloperMessage<ApplyRevocationResponseContext>)
        .AddEventHandler<ApplyIntrospectionResponseContext>(WithDeveloperMessage<ApplyIntrospectionResponseContext>);

    /// <summary>
    /// An OAuth error keeps RFC 6749's <c>error</c> and <c>error_description</c>, and also says the description as
    /// <c>developerMessage</c>, the field APS's services and clients read errors from.
    /// </summary>
    private static void WithDeveloperMessage<TContext>(OpenIddictServerHandlerDescriptor.Builder<TContext> handler) where TContext : BaseContext =>
        handler.UseInlineHandler(context =>
            {
                if (context.Transaction.Response is { Error: not null } response)
                    response["developerMessage"] = response.ErrorDescription ?? response.Error;
                return default;
            })
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom);
}
