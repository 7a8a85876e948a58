using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using Scanport.Data;
using Scanport.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// The OAuth clients are the platform's API keys: client id the key's id, client secret its secret, redirect URIs the
/// key's. OpenIddict still keeps a row per client (its tokens and authorizations point at one), made on first use and
/// holding no secret: every question about the client is answered from the key, so a revoked or expired key stops at once.
/// </summary>
internal sealed class ApsClients(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    ScanportDb db, PasswordGuard guard, IHttpContextAccessor http, TimeProvider clock)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken ct = default)
    {
        // Only the canonical spelling: the id is compared as a string with the codes and tokens issued to it.
        if (!Guid.TryParse(identifier, out var keyId) || keyId.ToString() != identifier) return null;
        var now = clock.GetUtcNow();
        if (!await db.ApiKeys.AnyAsync(k => k.Id == keyId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), ct)) return null;
        return await Store.FindByClientIdAsync(identifier, ct) ?? await RegisterAsync(identifier, ct);
    }

    public override async ValueTask<bool> ValidateClientSecretAsync(OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken ct = default) =>
        application.ClientId is { } clientId
        && await ApiKeyStore.AuthenticateClientAsync(db, guard, clientId, secret, http.HttpContext?.Connection.RemoteIpAddress, clock.GetUtcNow(), ct) is not null;

    public override async ValueTask<bool> ValidateRedirectUriAsync(OpenIddictEntityFrameworkCoreApplication application, string uri, CancellationToken ct = default) =>
        Guid.TryParse(application.ClientId, out var keyId)
        && await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.RedirectUris).FirstOrDefaultAsync(ct) is { } uris
        && uris.Contains(uri, StringComparer.Ordinal);

    private async Task<OpenIddictEntityFrameworkCoreApplication> RegisterAsync(string clientId, CancellationToken ct)
    {
        var application = new OpenIddictEntityFrameworkCoreApplication
        {
            ClientId = clientId,
            ClientType = ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Explicit,
        };
        try
        {
            // The store, not the manager: the manager would ask a confidential client for a secret to keep, and there is none.
            await Store.CreateAsync(application, ct);
            return application;
        }
        catch (DbUpdateException)
        {
            // Another request registered the same key first.
            db.Entry(application).State = EntityState.Detached;
            return await Store.FindByClientIdAsync(clientId, ct) ?? throw new InvalidOperationException($"OAuth client {clientId} could not be registered.");
        }
    }
}
