using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Identity.Oidc;

/// <summary>
/// Finds the Scanport user an identity provider vouched for: by the linked subject, or else by a verified
/// email, which links the subject for next time.
/// </summary>
public sealed class OidcUserResolver(ScanportDb db, IOptions<OidcOptions> options, TimeProvider clock, ILogger<OidcUserResolver> logger)
{
    private const int MaxExternalSubjectLength = 512;

    /// <summary>The user with their sites, or null when no user of any organization matches (403).</summary>
    public async Task<User?> ResolveAsync(OidcIdentity identity, CancellationToken ct = default)
    {
        var subject = $"{identity.Issuer}|{identity.Subject}";
        if (subject.Length > MaxExternalSubjectLength) return null;
        var linked = await db.Users.Include(u => u.Sites).SingleOrDefaultAsync(u => u.ExternalSubject == subject, ct);
        if (linked is not null) return linked;

        if (identity.Email is not { } email || !(identity.EmailVerified || options.Value.TrustUnverifiedEmail)) return null;
        var normalized = User.Normalize(email);
        var user = await db.Users.Include(u => u.Sites).SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        // A user already linked to another account (another provider, or another subject) is not taken over by email.
        if (user is null || user.ExternalSubject is not null) return null;

        user.ExternalSubject = subject;
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Linked user {UserId} to identity-provider subject at {Issuer}", user.Id, identity.Issuer);
        return user;
    }
}
