using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Identity;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// The APS application each organization's calls go through. With <c>Aps:ClientId</c> set (Autodesk's cloud, or one key of
/// Scanport's) it is that one application for everyone, and the surface's own tables keep organizations apart. On Scanport's
/// cloud with none set, each organization gets an operator API key of its own, made on first use: its buckets, objects,
/// translations and hooks are then the organization's in the cloud too. A key revoked or expired is replaced.
/// </summary>
internal sealed class TenantClouds(ApsCloudClients clouds, IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock,
    IOptions<ApsIntegrationOptions> options, IOptions<ApsCloudOptions> cloudOptions)
{
    public const string KeyName = "APS integration (made by Scanport)";

    private readonly IDataProtector _protector = protection.CreateProtector("Scanport.ApsIntegration.AppKey.v1");
    private readonly ConcurrentDictionary<Guid, ApsCloudClient> _byOrg = new();
    private readonly SemaphoreSlim _making = new(1, 1);

    /// <summary>Whether every organization has an application of its own (Scanport's cloud, no <c>Aps:ClientId</c>).</summary>
    public bool PerOrganization => clouds.IsScanportCloud && !clouds.HasConfiguredCredentials;

    public bool IsScanportCloud => clouds.IsScanportCloud;

    public Uri OwnUrl => clouds.OwnUrl;

    /// <summary>
    /// Where APS's sign-in sends a user back: <c>Surfaces:Aps:ApsRedirectUri</c>, else the application's registered
    /// <c>Aps:CallbackUrl</c>, else this surface's <c>GET /auth/aps/callback</c>.
    /// </summary>
    public string RedirectUri(string basePath) =>
        options.Value.ApsRedirectUri is { Length: > 0 } configured ? configured
        : cloudOptions.Value.CallbackUrl is { Length: > 0 } registered ? registered
        : new Uri(OwnUrl, basePath.TrimStart('/') + "/auth/aps/callback").ToString();

    public async Task<ApsCloudClient> ForAsync(Guid orgId, CancellationToken ct)
    {
        if (!PerOrganization) return clouds.Create();
        if (_byOrg.TryGetValue(orgId, out var known)) return known;
        await _making.WaitAsync(ct);
        try
        {
            if (_byOrg.TryGetValue(orgId, out known)) return known;
            var credentials = await CredentialsAsync(orgId, ct);
            return _byOrg[orgId] = clouds.Create(credentials);
        }
        finally
        {
            _making.Release();
        }
    }

    /// <summary>Forgets an organization's client after the cloud refused its credentials: the next call looks at its key again.</summary>
    public void Forget(Guid orgId) => _byOrg.TryRemove(orgId, out _);

    /// <summary>The client id an organization's buckets are owned by at APS (<c>bucket_owner</c>).</summary>
    public async Task<string> OwnerAsync(Guid orgId, CancellationToken ct) => (await ForAsync(orgId, ct)).Credentials.ClientId;

    private async Task<ApsCredentials> CredentialsAsync(Guid orgId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        var redirect = RedirectUri(options.Value.BasePath);
        var row = await db.Set<ApsiAppKey>().FirstOrDefaultAsync(k => k.OrgId == orgId, ct);
        if (row is not null && await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == row.ApiKeyId, ct) is { } existing
            && existing.RevokedAt is null && (existing.ExpiresAt is null || existing.ExpiresAt > now))
        {
            if (!existing.RedirectUris.Contains(redirect))
            {
                existing.RedirectUris = [.. existing.RedirectUris, redirect];
                await db.SaveChangesAsync(ct);
            }
            return new ApsCredentials(existing.Id.ToString(), _protector.Unprotect(row.ProtectedSecret));
        }

        var key = new ApiKey
        {
            OrgId = orgId,
            Name = KeyName,
            Role = Roles.Operator,
            SecretHash = [],
            CreatedAt = now,
            RedirectUris = [redirect],
        };
        var secret = ApiKeySecrets.Create(key.Id);
        key.SecretHash = ApiKeySecrets.Hash(secret);
        db.ApiKeys.Add(key);
        if (row is null) db.Add(new ApsiAppKey { OrgId = orgId, ApiKeyId = key.Id, ProtectedSecret = _protector.Protect(secret), CreatedAt = now });
        else (row.ApiKeyId, row.ProtectedSecret, row.CreatedAt) = (key.Id, _protector.Protect(secret), now);
        await db.SaveChangesAsync(ct);
        return new ApsCredentials(key.Id.ToString(), secret);
    }

    /// <summary>A random secret of 32 bytes in base64url.</summary>
    public static string NewSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
