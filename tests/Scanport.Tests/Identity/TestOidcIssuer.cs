using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Scanport.Tests.Identity;

/// <summary>
/// A real OpenID Connect issuer on a loopback port: a discovery document and a JWKS of RSA public keys.
/// It mints id_tokens with its current key, rotates keys, and counts how often its documents are fetched.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private const string Path = "/issuer";

    private readonly WebApplication _app;
    private readonly Lock _keysLock = new();
    private List<RsaSecurityKey> _published;
    private int _discoveryFetches;
    private int _jwksFetches;

    private TestOidcIssuer(WebApplication app, RsaSecurityKey key)
    {
        _app = app;
        _published = [key];
        CurrentKey = key;
        app.MapGet($"{Path}/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref _discoveryFetches);
            return Results.Json(new
            {
                issuer = Authority,
                jwks_uri = $"{Authority}/jwks",
                authorization_endpoint = $"{Authority}/authorize",
                response_types_supported = new[] { "id_token" },
                subject_types_supported = new[] { "public" },
                id_token_signing_alg_values_supported = new[] { SecurityAlgorithms.RsaSha256 },
            });
        });
        app.MapGet($"{Path}/jwks", () =>
        {
            Interlocked.Increment(ref _jwksFetches);
            lock (_keysLock) return Results.Json(new { keys = _published.Select(PublicJwk).ToArray() });
        });
    }

    /// <summary>The issuer URL: the tokens' <c>iss</c>, with discovery under it.</summary>
    public string Authority { get; private set; } = "";
    public RsaSecurityKey CurrentKey { get; private set; }
    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);
    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var issuer = new TestOidcIssuer(builder.Build(), NewKey());
        await issuer._app.StartAsync();
        issuer.Authority = issuer._app.Urls.Single() + Path;
        return issuer;
    }

    /// <summary>A fresh RSA key this issuer does not publish (with its own kid unless one is given).</summary>
    public static RsaSecurityKey NewKey(string? kid = null) =>
        new(RSA.Create(2048)) { KeyId = kid ?? Guid.NewGuid().ToString("N") };

    /// <summary>Signs with a new key from now on, publishing it beside the old ones.</summary>
    public RsaSecurityKey RotateKey()
    {
        var key = NewKey();
        lock (_keysLock) _published = [key, .. _published];
        CurrentKey = key;
        return key;
    }

    /// <summary>An id_token from this issuer; by default valid for an hour and signed with the current key.</summary>
    public string Mint(string audience, string subject = "user-1", string? email = null, object? emailVerified = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? expires = null, SigningCredentials? signedWith = null, string? issuer = null)
    {
        var now = TimeProvider.System.GetUtcNow();
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (email is not null) claims["email"] = email;
        if (emailVerified is not null) claims["email_verified"] = emailVerified;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            IssuedAt = (notBefore ?? now).UtcDateTime,
            NotBefore = (notBefore ?? now).UtcDateTime,
            Expires = (expires ?? now.AddHours(1)).UtcDateTime,
            Claims = claims,
            SigningCredentials = signedWith ?? new SigningCredentials(CurrentKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private static object PublicJwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            kty = "RSA",
            use = "sig",
            alg = SecurityAlgorithms.RsaSha256,
            kid = key.KeyId,
            n = Base64UrlEncoder.Encode(p.Modulus),
            e = Base64UrlEncoder.Encode(p.Exponent),
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
