using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;

namespace Scanport.Identity;

/// <summary>
/// Brute-force protection for every check of a password or a client secret, on every surface. Failures are counted per
/// account (a user, a login name nobody has, an API key's client id) and per client address; past
/// <see cref="AuthOptions.SignInFailuresPerAccount"/> (or <see cref="AuthOptions.SignInFailuresPerAddress"/>) within
/// <see cref="AuthOptions.SignInFailureWindow"/> the account (or address) is locked for <see cref="AuthOptions.SignInLockout"/>,
/// doubling with each further lock up to <see cref="AuthOptions.SignInMaxLockout"/>. While locked even the right secret is
/// refused, with the answer a wrong one gets, so a lock tells a guesser nothing. Only failures count (a success clears its
/// account's count), so people and scripts that sign in often are never slowed. The counts are the cluster's on
/// PostgreSQL (<see cref="SharedSignInTallies"/>; this node's own while the database does not answer), the process's on
/// SQLite (<see cref="LocalSignInTallies"/>).
/// </summary>
public sealed class PasswordGuard(IPasswordHasher<User> hasher, RateLimits limits, IOptions<AuthOptions> options, TimeProvider clock,
    ILogger<PasswordGuard> logger)
{
    private static readonly User Nobody = new() { Email = "", NormalizedEmail = "", Role = Roles.Operator };

    // An account's name is cut to MaxKeyLength (emails are at most 320 characters).
    private const int MaxKeyLength = 330;
    private readonly LocalSignInTallies _local = new(options, clock);
    private readonly SharedSignInTallies? _shared = limits.Store is { } store ? new(store, options, clock) : null;
    private readonly Lazy<string> _nobodysHash = new(() => hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));

    /// <summary>
    /// Checks a user's password; for an unknown account (<paramref name="user"/> null) it checks against a made-up hash, so
    /// the time taken does not tell which accounts exist. The user when the password is right and nothing is locked (an old
    /// hash format is then upgraded); otherwise null.
    /// </summary>
    public async Task<User?> CheckPasswordAsync(ScanportDb db, User? user, string login, string password, IPAddress? address, CancellationToken ct)
    {
        var verdict = PasswordVerificationResult.Failed;
        var account = user?.PasswordHash is null ? $"login:{User.Normalize(login)}" : $"user:{user.Id}";
        var allowed = await AttemptAsync(account, address, () =>
        {
            if (user?.PasswordHash is { } hash) verdict = hasher.VerifyHashedPassword(user, hash, password);
            else hasher.VerifyHashedPassword(Nobody, _nobodysHash.Value, password); // the same work; the answer stays Failed
            return Task.FromResult(verdict != PasswordVerificationResult.Failed);
        });
        if (!allowed || user is null) return null;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        return user;
    }

    /// <summary>Signs a user in by email and password, on any surface: the user, or null (unknown, wrong or locked).</summary>
    public async Task<User?> SignInAsync(ScanportDb db, string login, string password, IPAddress? address, CancellationToken ct)
    {
        var normalized = User.Normalize(login);
        var found = await db.Users.Include(u => u.Sites).FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        return await CheckPasswordAsync(db, found, login, password, address, ct);
    }

    /// <summary>The account name of an OAuth client (an API key), whatever the caller sent as its id.</summary>
    public static string ClientAccount(string clientId) => $"client:{clientId.Trim().ToUpperInvariant()}";

    /// <summary>
    /// Runs one check of a secret for <paramref name="account"/> from <paramref name="address"/>. The check runs even when
    /// either is locked, so a lock answers no faster than a check; its result then counts for nothing.
    /// </summary>
    public async Task<bool> AttemptAsync(string account, IPAddress? address, Func<Task<bool>> check)
    {
        if (account.Length > MaxKeyLength) account = account[..MaxKeyLength];
        var addressKey = AddressKey(address);
        var shared = _shared is null ? null : await _shared.BeginAsync(account, addressKey);
        ISignInTallies tallies = shared is null ? _local : _shared!;
        var (accountOpen, addressOpen) = shared ?? (await _local.BeginAsync(account, addressKey))!.Value;
        if (!accountOpen || !addressOpen)
        {
            await tallies.AbandonAsync(accountOpen ? account : null, addressOpen ? addressKey : null);
            await check();
            return false;
        }
        bool passed;
        try
        {
            passed = await check();
        }
        catch
        {
            await tallies.AbandonAsync(account, addressKey);
            throw;
        }
        if (passed)
        {
            await tallies.SucceedAsync(account, addressKey);
            return true;
        }
        var (accountLock, addressLock) = await tallies.FailAsync(account, addressKey);
        if (accountLock is { } forAccount)
            logger.LogWarning("Sign-in to {Account} locked for {Lockout} after repeated failures", account, forAccount);
        if (addressLock is { } forAddress)
            logger.LogWarning("Sign-in from {Address} locked for {Lockout} after repeated failures", addressKey, forAddress);
        return false;
    }

    /// <summary>An IPv4 address, or an IPv6 address's /64: one host may hold a whole /64, so its addresses are one client.</summary>
    private static string AddressKey(IPAddress? address)
    {
        if (address is null) return "address:unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return $"address:{address}";
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"address:{new IPAddress(bytes)}/64";
    }
}
