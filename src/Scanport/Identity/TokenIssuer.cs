using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Scanport.Identity;

/// <summary>An access token and how many seconds it lives.</summary>
public sealed record IssuedToken(string AccessToken, int ExpiresIn);

/// <summary>Mints Scanport's access tokens, with the claims the 360 imaging document lists.</summary>
public sealed class TokenIssuer(SigningKeyRing keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public IssuedToken ForUser(User user) =>
        Issue(user.Id, user.OrgId, user.Role, options.Value.UserTokenLifetime, new()
        {
            [ClaimNames.SiteIds] = user.Sites.Select(s => s.SiteId.ToString()).ToArray(),
            [ClaimNames.Stamp] = user.SecurityStamp,
        });

    public IssuedToken ForApiKey(Guid keyId, Guid orgId, string role) =>
        Issue(keyId, orgId, role, options.Value.ApiKeyTokenLifetime, new() { [ClaimNames.Kind] = CallerKind.ApiKey });

    /// <summary>A device's token; a device bound to one site carries it in <c>site_ids</c>, an unbound one none.</summary>
    public IssuedToken ForDevice(Guid deviceId, Guid orgId, Guid? siteId = null) =>
        Issue(deviceId, orgId, Roles.Device, options.Value.DeviceTokenLifetime,
            siteId is { } site ? new() { [ClaimNames.SiteIds] = new[] { site.ToString() } } : []);

    private IssuedToken Issue(Guid subject, Guid orgId, string role, TimeSpan lifetime, Dictionary<string, object> extra)
    {
        var now = clock.GetUtcNow();
        var claims = new Dictionary<string, object>(extra)
        {
            [ClaimNames.Subject] = subject.ToString(),
            [ClaimNames.OrgId] = orgId.ToString(),
            [ClaimNames.Role] = role,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = keys.Current,
        });
        return new IssuedToken(token, (int)lifetime.TotalSeconds);
    }
}

/// <summary>Claim names as they appear in tokens.</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string OrgId = "org_id";
    public const string SiteIds = "site_ids";
    public const string Role = "role";
    public const string Kind = "kind";
    /// <summary>The user's <see cref="User.SecurityStamp"/> when the token was issued.</summary>
    public const string Stamp = "stamp";
}
