using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Identity;

/// <summary>
/// Brute-force protection for every check of a password or a client secret, on every surface. Failures are counted per
/// account (a user, a login name nobody has, an API key's client id) and per client address; past
/// <see cref="AuthOptions.SignInFailuresPerAccount"/> (or <see cref="AuthOptions.SignInFailuresPerAddress"/>) within
/// <see cref="AuthOptions.SignInFailureWindow"/> the account (or address) is locked for <see cref="AuthOptions.SignInLockout"/>,
/// doubling with each further lock up to <see cref="AuthOptions.SignInMaxLockout"/>. While locked even the right secret is
/// refused, with the answer a wrong one gets, so a lock tells a guesser nothing. Only failures count (a success clears its
/// account's count), so people and scripts that sign in often are never slowed. The counts live in this process, bounded.
/// </summary>
public sealed class PasswordGuard(IOptions<AuthOptions> options, IPasswordHasher<User> hasher, TimeProvider clock, ILogger<PasswordGuard> logger)
{
    private static readonly User Nobody = new() { Email = "", NormalizedEmail = "", Role = Roles.Operator };

    // An entry is one account or address; at most this many are remembered (the least used go first), and an account's
    // name is cut to MaxKeyLength (emails are at most 320 characters): a flood of made-up names takes tens of MB at most.
    private const int MaxKeyLength = 330;
    private readonly MemoryCache _tallies = new(new MemoryCacheOptions { SizeLimit = 50_000 });
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
        var o = options.Value;
        var now = clock.GetUtcNow();
        if (account.Length > MaxKeyLength) account = account[..MaxKeyLength];
        var addressKey = AddressKey(address);
        Tally byAccount = TallyOf(account, CacheItemPriority.Normal), byAddress = TallyOf(addressKey, CacheItemPriority.High);
        var accountOpen = byAccount.TryBegin(now, o.SignInFailuresPerAccount, o.SignInFailureWindow);
        var addressOpen = byAddress.TryBegin(now, o.SignInFailuresPerAddress, o.SignInFailureWindow);
        if (!accountOpen || !addressOpen)
        {
            if (accountOpen) byAccount.Abandon();
            if (addressOpen) byAddress.Abandon();
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
            byAccount.Abandon();
            byAddress.Abandon();
            throw;
        }
        if (passed)
        {
            byAccount.Succeed();
            byAddress.Abandon(); // an address is never cleared by a success: a guesser could sign in to an account of their own
            return true;
        }
        now = clock.GetUtcNow();
        if (byAccount.Fail(now, o.SignInFailuresPerAccount, o) is { } accountLock)
            logger.LogWarning("Sign-in to {Account} locked for {Lockout} after repeated failures", account, accountLock);
        if (byAddress.Fail(now, o.SignInFailuresPerAddress, o) is { } addressLock)
            logger.LogWarning("Sign-in from {Address} locked for {Lockout} after repeated failures", addressKey, addressLock);
        return false;
    }

    private Tally TallyOf(string key, CacheItemPriority priority)
    {
        var o = options.Value;
        return _tallies.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.Priority = priority;
            // Forgotten once idle past any window and lock: the next failure starts afresh.
            entry.SlidingExpiration = o.SignInFailureWindow + o.SignInMaxLockout;
            return new Tally();
        })!;
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

    /// <summary>
    /// One account's or address's failures. Attempts still being checked count against the limit, so a burst of parallel
    /// guesses gets no more tries than a sequence of them.
    /// </summary>
    private sealed class Tally
    {
        private readonly Lock _gate = new();
        private int _failures, _pending, _locks;
        private DateTimeOffset _windowStart, _lockedUntil;

        public bool TryBegin(DateTimeOffset now, int limit, TimeSpan window)
        {
            lock (_gate)
            {
                if (_lockedUntil > now) return false;
                if (now - _windowStart > window) _failures = 0;
                if (_failures + _pending >= limit) return false;
                _pending++;
                return true;
            }
        }

        public void Abandon()
        {
            lock (_gate) _pending--;
        }

        public void Succeed()
        {
            lock (_gate) (_pending, _failures, _locks) = (_pending - 1, 0, 0);
        }

        /// <summary>Counts a failure; the length of the lock it imposes, if it does (each lock twice the last one).</summary>
        public TimeSpan? Fail(DateTimeOffset now, int limit, AuthOptions o)
        {
            lock (_gate)
            {
                _pending--;
                if (_failures++ == 0) _windowStart = now;
                if (_failures < limit) return null;
                _locks++;
                var lockout = TimeSpan.FromTicks((long)Math.Min(o.SignInLockout.Ticks * Math.Pow(2, _locks - 1), o.SignInMaxLockout.Ticks));
                (_failures, _lockedUntil) = (0, now + lockout);
                return lockout;
            }
        }
    }
}
