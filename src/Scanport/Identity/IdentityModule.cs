using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Scanport.Identity;

internal static class IdentityModule
{
    /// <summary>The default scheme: API key secrets go to their handler, everything else is a JWT.</summary>
    public const string BearerScheme = "Scanport";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<PrincipalStates>();
        services.AddHostedService<PrincipalChanges>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<PasswordGuard>();
        services.AddScoped<Bootstrap>();

        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new();
        services.AddAuthentication(BearerScheme)
            .AddPolicyScheme(BearerScheme, "JWT or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.BearerToken(context.Request)?.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal) == true
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRing, TimeProvider>((o, ring, clock) =>
            {
                o.MapInboundClaims = false;
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new CachingTokenHandler(clock));
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    // Pinned: tokens with alg "none" or HS256 (signed with our public key) are refused.
                    ValidAlgorithms = [SigningKeyRing.Algorithm],
                    IssuerSigningKeyResolver = (_, _, kid, _) => ring.Resolve(kid),
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = auth.ClockSkew,
                    NameClaimType = ClaimNames.Subject,
                    RoleClaimType = ClaimNames.Role,
                };
                o.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on an EventSource or a WebSocket: the endpoints made for them
                    // (marked QueryTokenAllowed) take the token from the query string; no other endpoint does,
                    // so tokens do not end up in the access logs and referrers of ordinary requests.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Headers.Authorization.Count == 0
                            && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<QueryTokenAllowed>() is not null
                            && (context.Request.Query.TryGetValue("access_token", out var token) || context.Request.Query.TryGetValue("token", out token)))
                        {
                            context.Token = token;
                        }
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async context =>
                    {
                        var caller = Caller.From(context.Principal!);
                        var stamp = int.TryParse(context.Principal!.FindFirst(ClaimNames.Stamp)?.Value, out var s) ? s : 0;
                        var states = context.HttpContext.RequestServices.GetRequiredService<PrincipalStates>();
                        if (caller is null || !await states.IsCurrentAsync(caller, stamp, context.HttpContext.RequestServices, context.HttpContext.RequestAborted))
                            context.Fail("The token's principal was deleted, changed or revoked");
                    },
                };
            });
        services.AddAuthorizationBuilder()
            // Secure by default: an endpoint is public only when it says AllowAnonymous.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(ClaimNames.Role, Roles.Admin));
        return services;
    }
}
