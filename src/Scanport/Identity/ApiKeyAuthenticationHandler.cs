using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Scanport.Data;

namespace Scanport.Identity;

/// <summary>Accepts an API key secret sent as a bearer token, so scripts need not exchange it first.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger, UrlEncoder encoder, ScanportDb db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = BearerToken(Request);
        if (secret is null || !ApiKeySecrets.TryParseKeyId(secret, out var keyId)) return AuthenticateResult.NoResult();
        var key = await ApiKeyStore.FindActiveAsync(db, keyId, secret, clock.GetUtcNow(), Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("invalid api key");
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimNames.Subject, key.Id.ToString()),
            new Claim(ClaimNames.OrgId, key.OrgId.ToString()),
            new Claim(ClaimNames.Role, key.Role),
            new Claim(ClaimNames.Kind, CallerKind.ApiKey),
        ], SchemeName, ClaimNames.Subject, ClaimNames.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers[HeaderNames.Authorization];
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;
    }
}

internal static class ApiKeyStore
{
    /// <summary>
    /// An API key presented as an OAuth client (its id and its secret), checked under the <see cref="PasswordGuard"/>;
    /// the key when both match an active key, otherwise null.
    /// </summary>
    public static async Task<ApiKey?> AuthenticateClientAsync(ScanportDb db, PasswordGuard guard, string clientId, string secret,
        System.Net.IPAddress? address, DateTimeOffset now, CancellationToken ct)
    {
        ApiKey? key = null;
        var passed = await guard.AttemptAsync(PasswordGuard.ClientAccount(clientId), address, async () =>
            Guid.TryParse(clientId, out var keyId) && ApiKeySecrets.TryParseKeyId(secret, out var embedded) && embedded == keyId
            && (key = await FindActiveAsync(db, keyId, secret, now, ct)) is not null);
        return passed ? key : null;
    }

    public static async Task<ApiKey?> FindActiveAsync(ScanportDb db, Guid keyId, string secret, DateTimeOffset now, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null || key.RevokedAt is not null || key.ExpiresAt <= now) return null;
        return ApiKeySecrets.Matches(secret, key.SecretHash) ? key : null;
    }
}
