using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Scanport.Data;

namespace Scanport.Identity;

/// <summary>
/// The ES256 keys tokens are signed and validated with. The first node to start generates a key and stores
/// it; every node loads all stored keys, and looks again when it meets a key id it does not know (a key
/// another node generated), at most once a minute.
/// </summary>
public sealed class SigningKeyRing(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SigningKeyRing> logger)
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    private volatile IReadOnlyList<ECDsaSecurityKey> _keys = [];
    private DateTimeOffset _lastReload = DateTimeOffset.MinValue;
    private readonly Lock _reloadGate = new();

    /// <summary>The key new tokens are signed with.</summary>
    public SigningCredentials Current =>
        new(_keys.Count > 0 ? _keys[0] : throw new InvalidOperationException("Signing keys not loaded."), Algorithm);

    /// <summary>Every stored key, newest first (the APS cloud's OAuth server signs with these too).</summary>
    public IReadOnlyList<ECDsaSecurityKey> Keys => _keys.Count > 0 ? _keys : throw new InvalidOperationException("Signing keys not loaded.");

    public async Task LoadOrCreateAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        if (!await db.SigningKeys.AnyAsync(ct))
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            db.SigningKeys.Add(new SigningKey
            {
                Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                Algorithm = Algorithm,
                PrivateKeyPem = ecdsa.ExportPkcs8PrivateKeyPem(),
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Generated a new token signing key");
        }
        await ReloadAsync(db, ct);
    }

    /// <summary>Keys for validating a token; reloads from the database for an unknown key id.</summary>
    public IEnumerable<SecurityKey> Resolve(string? kid)
    {
        var keys = _keys;
        var match = keys.Where(k => k.KeyId == kid).ToList();
        if (match.Count > 0 || kid is null) return match;
        lock (_reloadGate)
        {
            if (clock.GetUtcNow() - _lastReload < TimeSpan.FromMinutes(1)) return [];
            _lastReload = clock.GetUtcNow();
        }
        // Token validation is synchronous; this path runs at most once a minute per node.
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        ReloadAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return _keys.Where(k => k.KeyId == kid).ToList();
    }

    private async Task ReloadAsync(ScanportDb db, CancellationToken ct)
    {
        var rows = await db.SigningKeys.AsNoTracking().ToListAsync(ct);
        _keys = rows.OrderByDescending(r => r.CreatedAt).Select(r =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(r.PrivateKeyPem);
            return new ECDsaSecurityKey(ecdsa) { KeyId = r.Id };
        }).ToList();
        _lastReload = clock.GetUtcNow();
    }
}
