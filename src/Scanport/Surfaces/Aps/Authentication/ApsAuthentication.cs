using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// APS Authentication v2 on OpenIddict, at the root of Scanport's origin (APS's SDKs drop any base path). OpenIddict
/// answers revoke, introspect, keys and discovery itself; token, authorize, sign-in, logout and userinfo pass through to
/// the handlers here. Tokens are signed with Scanport's own key ring, so every node issues and accepts the same tokens.
/// </summary>
internal static class ApsAuthentication
{
    public const string AuthorizePath = "/authentication/v2/authorize";
    public const string SignInPath = "/authentication/v2/signin";
    private const string TokenPath = "/authentication/v2/token";
    /// <summary>The group name of its routes: what the request metrics call this surface.</summary>
    private const string Surface = "aps-authentication";
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(15);

    /// <summary>The root paths APS's clients call; the Node SDK writes them with a doubled leading slash.</summary>
    private static readonly string[] ApsRoots = ["/authentication/", "/oss/", "/modelderivative/", "/webhooks/", "/userinfo", "/.well-known/openid-configuration"];

    /// <summary>Whether a (collapsed) request path is under one of the APS roots.</summary>
    internal static bool IsApsPath(PathString path) =>
        path.Value is { } value && ApsRoots.Any(root => value.StartsWith(root, StringComparison.Ordinal));

    public static IServiceCollection AddApsAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApsAuthenticationOptions>().Bind(configuration.GetSection(ApsAuthenticationOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        var issuer = configuration.GetSection(ApsAuthenticationOptions.Section).Get<ApsAuthenticationOptions>()?.Issuer;
        services.AddHttpContextAccessor();
        services.AddAntiforgery();
        services.AddOpenIddict()
            .AddCore(o =>
            {
                o.UseEntityFrameworkCore().UseDbContext<ScanportDb>();
                o.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, ApsClients>();
                // Every question about a client goes to its API key (ApsClients), never to a cached copy.
                o.DisableEntityCaching();
            })
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris(AuthorizePath)
                    .SetTokenEndpointUris(TokenPath)
                    .SetRevocationEndpointUris("/authentication/v2/revoke")
                    .SetIntrospectionEndpointUris("/authentication/v2/introspect")
                    .SetJsonWebKeySetEndpointUris("/authentication/v2/keys")
                    .SetUserInfoEndpointUris("/userinfo")
                    .SetConfigurationEndpointUris("/.well-known/openid-configuration");
                if (Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri)) o.SetIssuer(issuerUri);
                o.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(ApsScopes.All);
                // APS's lifetimes; refresh tokens are rotated on use (OpenIddict's default), the old one then refused.
                o.SetAccessTokenLifetime(TimeSpan.FromHours(1)).SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(5))
                    .SetRefreshTokenLifetime(RefreshTokenLifetime).SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                // APS access tokens are signed JWTs that clients may read and check against the JWKS.
                o.DisableAccessTokenEncryption();
                // Any key may use any grant and scope; what the token then allows is the platform's rules for the key or user.
                o.IgnoreEndpointPermissions().IgnoreGrantTypePermissions().IgnoreResponseTypePermissions().IgnoreScopePermissions();
                o.UseApsAnswers();
                o.Configure(options =>
                {
                    options.CodeChallengeMethods.Clear();
                    options.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                });
                // TLS is the reverse proxy's, as for every other endpoint of Scanport.
                o.UseAspNetCore().DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().EnableUserInfoEndpointPassthrough();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
                o.EnableTokenEntryValidation();
            });
        services.AddOptions<OpenIddictServerOptions>().Configure<SigningKeyRing>(UseKeyRing);
        services.AddHostedService<OAuthPruning>();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, ApsRequestHandlers>());
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApsBearer>(ApsBearer.SchemeName, null)
            .AddCookie(AuthorizeEndpoint.CookieScheme, o =>
            {
                o.Cookie.Name = "scanport_aps_signin";
                o.Cookie.Path = "/authentication/v2";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(1);
                o.SlidingExpiration = false;
            });
        return services;
    }

    /// <summary>
    /// Signs with the ring's ES256 keys (read when the options are first built, after start-up loaded them). Codes and
    /// refresh tokens are encrypted with a key derived from each signing key (HKDF, its own purpose), so they too need no
    /// key of their own and survive restarts.
    /// </summary>
    private static void UseKeyRing(OpenIddictServerOptions o, SigningKeyRing ring)
    {
        foreach (var key in ring.Keys)
        {
            o.SigningCredentials.Add(new SigningCredentials(key, SigningKeyRing.Algorithm));
            var secret = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.ECDsa.ExportParameters(includePrivateParameters: true).D!, 32,
                info: "scanport aps token encryption"u8.ToArray());
            o.EncryptionCredentials.Add(new EncryptingCredentials(new SymmetricSecurityKey(secret) { KeyId = key.KeyId + "-enc" },
                SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    /// <summary>Before routing: <c>//oss/v2/...</c> is <c>/oss/v2/...</c> for the APS roots (and only for them).</summary>
    public static WebApplication UseApsPaths(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value is { } path && path.StartsWith("//", StringComparison.Ordinal))
            {
                var single = "/" + path.TrimStart('/');
                if (IsApsPath(single)) context.Request.Path = single;
            }
            return next(context);
        });
        return app;
    }

    public static WebApplication MapApsAuthentication(this WebApplication app)
    {
        // OpenIddict's own answers are RFC 6749's JSON; whatever else fails under these roots answers in APS's shape.
        var shapes = app.Services.GetRequiredService<ErrorShapes>();
        shapes.Register("/authentication", ApsErrorShape.Instance);
        shapes.Register("/userinfo", ApsErrorShape.Instance);
        var api = app.MapGroup("").WithTags("APS Authentication").WithGroupName(Surface).AllowAnonymous().DisableAntiforgery().WithMetadata(ApsErrorShape.Instance);
        api.MapPost(TokenPath, TokenEndpoint.Token).WithName("ApsToken").WithSummary("Acquire a token (APS Authentication v2)");
        api.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.Authorize)
            .WithName("ApsAuthorize").WithSummary("Sign a user in and ask their consent (three-legged)");
        api.MapPost(SignInPath, AuthorizeEndpoint.SignIn).WithName("ApsSignIn").WithSummary("The sign-in form's target");
        api.MapGet("/authentication/v2/logout", AuthorizeEndpoint.Logout).WithName("ApsLogout").WithSummary("Sign the user out");
        app.MapGet("/userinfo", UserInfoEndpoint.UserInfo).WithTags("APS Authentication").WithGroupName(Surface).WithName("ApsUserInfo")
            .WithSummary("The signed-in user").RequireApsScope("user-profile:read").WithMetadata(ApsErrorShape.Instance);
        return app;
    }
}
