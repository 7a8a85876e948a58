using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Scanport.Identity;

/// <summary>
/// The failed sign-ins <see cref="PasswordGuard"/> counts per account and per address, with their locks: in this process
/// (<see cref="LocalSignInTallies"/>), or for the whole cluster in PostgreSQL (<see cref="SharedSignInTallies"/>). An
/// attempt begins (counted as pending where it is open, so a burst of parallel guesses gets no more tries than a sequence
/// of them) and then succeeds, fails or is abandoned, on both keys at once.
/// </summary>
internal interface ISignInTallies
{
    /// <summary>Whether each is open (neither locked nor at its limit with the attempts being checked); null: not counted now.</summary>
    Task<(bool Account, bool Address)?> BeginAsync(string account, string address);

    /// <summary>Forgets the pending attempt of each key given (those that were open).</summary>
    Task AbandonAsync(string? account, string? address);

    /// <summary>The account's failures are cleared; the address's are not: a guesser could sign in to an account of their own.</summary>
    Task SucceedAsync(string account, string address);

    /// <summary>Counts a failure for both; the length of each lock it imposes (each lock twice the last one).</summary>
    Task<(TimeSpan? Account, TimeSpan? Address)> FailAsync(string account, string address);
}

/// <summary>The counts in this process, bounded: the embedded mode, and any node while the database does not answer.</summary>
internal sealed class LocalSignInTallies(IOptions<AuthOptions> options, TimeProvider clock) : ISignInTallies
{
    // An entry is one account or address; at most this many are remembered (the least used go first): a flood of made-up
    // names takes tens of MB at most.
    private readonly MemoryCache _tallies = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    public Task<(bool Account, bool Address)?> BeginAsync(string account, string address)
    {
        var (o, now) = (options.Value, clock.GetUtcNow());
        var accountOpen = TallyOf(account, CacheItemPriority.Normal).TryBegin(now, o.SignInFailuresPerAccount, o.SignInFailureWindow);
        var addressOpen = TallyOf(address, CacheItemPriority.High).TryBegin(now, o.SignInFailuresPerAddress, o.SignInFailureWindow);
        return Task.FromResult<(bool, bool)?>((accountOpen, addressOpen));
    }

    public Task AbandonAsync(string? account, string? address)
    {
        if (account is not null) TallyOf(account, CacheItemPriority.Normal).Abandon();
        if (address is not null) TallyOf(address, CacheItemPriority.High).Abandon();
        return Task.CompletedTask;
    }

    public Task SucceedAsync(string account, string address)
    {
        TallyOf(account, CacheItemPriority.Normal).Succeed();
        TallyOf(address, CacheItemPriority.High).Abandon();
        return Task.CompletedTask;
    }

    public Task<(TimeSpan? Account, TimeSpan? Address)> FailAsync(string account, string address)
    {
        var (o, now) = (options.Value, clock.GetUtcNow());
        return Task.FromResult((TallyOf(account, CacheItemPriority.Normal).Fail(now, o.SignInFailuresPerAccount, o),
            TallyOf(address, CacheItemPriority.High).Fail(now, o.SignInFailuresPerAddress, o)));
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

    /// <summary>One account's or address's failures; attempts still being checked count against the limit.</summary>
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
