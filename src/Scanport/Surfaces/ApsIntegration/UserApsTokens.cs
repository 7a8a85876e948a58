using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Scanport.ApsCloud;
using Scanport.Data;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// Users' APS tokens from the three-legged flow: kept encrypted with Data Protection (its key ring persisted under the data
/// directory), handed out while valid, and refreshed with the rotated refresh token when they are about to expire.
/// </summary>
internal sealed class UserApsTokens(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);

    private readonly IDataProtector _protector = protection.CreateProtector("Scanport.ApsIntegration.UserToken.v1");
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    public string Protect(string value) => _protector.Protect(value);

    public string Unprotect(string value) => _protector.Unprotect(value);

    public async Task StoreAsync(ScanportDb db, Guid userId, ApsToken token, CancellationToken ct)
    {
        var row = await db.Set<ApsiUserToken>().FirstOrDefaultAsync(t => t.UserId == userId, ct);
        if (row is null)
        {
            row = new ApsiUserToken { UserId = userId, ProtectedAccessToken = "" };
            db.Add(row);
        }
        row.ProtectedAccessToken = Protect(token.AccessToken);
        // A refresh that answers no new refresh token leaves the old one usable.
        if (token.RefreshToken is { Length: > 0 } refresh) row.ProtectedRefreshToken = Protect(refresh);
        row.ExpiresAt = token.ExpiresAt;
        row.Scope = token.Scope ?? row.Scope;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The user's valid access token, refreshed when it is about to expire; null when the user has not authorized APS (or revoked it).</summary>
    public async Task<UserApsToken?> GetAsync(Guid userId, ApsCloudClient client, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var row = await db.Set<ApsiUserToken>().AsNoTracking().FirstOrDefaultAsync(t => t.UserId == userId, ct);
        if (row is null) return null;
        if (row.ExpiresAt - Margin > clock.GetUtcNow()) return new UserApsToken(Unprotect(row.ProtectedAccessToken), row.ExpiresAt, row.Scope, false);
        if (row.ProtectedRefreshToken is null) return null;

        await _refreshing.WaitAsync(ct);
        try
        {
            // Another request may have refreshed it while this one waited: the refresh token it held is spent then.
            row = await db.Set<ApsiUserToken>().FirstOrDefaultAsync(t => t.UserId == userId, ct);
            if (row is null) return null;
            if (row.ExpiresAt - Margin > clock.GetUtcNow()) return new UserApsToken(Unprotect(row.ProtectedAccessToken), row.ExpiresAt, row.Scope, true);
            ApsToken fresh;
            try
            {
                fresh = await client.RefreshAsync(Unprotect(row.ProtectedRefreshToken!), null, ct);
            }
            // The grant is gone (revoked, expired, used): the user authorizes again. This server's own credentials refused
            // (invalid_client) say nothing of the user's grant: that is the cloud's failure, and the tokens are kept.
            catch (ApsCloudException e) when (e.Kind is ApsFailure.AuthFailed or ApsFailure.BadRequest && e.ErrorCode != "invalid_client")
            {
                db.Remove(row);
                await db.SaveChangesAsync(ct);
                return null;
            }
            await StoreAsync(db, userId, fresh, ct);
            return new UserApsToken(fresh.AccessToken, fresh.ExpiresAt, fresh.Scope ?? row.Scope, true);
        }
        finally
        {
            _refreshing.Release();
        }
    }
}

internal sealed record UserApsToken(string AccessToken, DateTimeOffset ExpiresAt, string? Scope, bool Refreshed);
