using Microsoft.Extensions.Options;
using Npgsql;
using Scanport.Http;

namespace Scanport.Identity;

/// <summary>
/// The sign-in tallies of the whole cluster, in PostgreSQL's UNLOGGED table <c>sign_in_tallies</c>, so that a guesser
/// spreading attempts over N nodes meets one limit, not N. The same rules as <see cref="LocalSignInTallies"/>, each step one
/// statement per key (never two rows locked at once, so no deadlock), timed by the database's clock. A pending attempt
/// left by a node that died counts until the window passes. A row is kept while its window or lock may still matter, and
/// deleted after (at most once a minute, by a sign-in). Null from <see cref="BeginAsync"/>: the database did not answer,
/// and the attempt is counted by the node alone.
/// </summary>
internal sealed class SharedSignInTallies(SharedLimitStore store, IOptions<AuthOptions> options, TimeProvider clock) : ISignInTallies
{
    private const string Now = "WITH c AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS t) ";

    // $1 key, $2 limit, $3 window (s), $4 how long the row matters (s). A window past since its first failure starts afresh.
    private const string Begin = Now + """
        INSERT INTO sign_in_tallies AS r (key, lim, failures, pending, window_start, locks, locked_until, opened, expires_at)
        SELECT $1, $2, 0, 1, t, 0, 0, true, t + $4 FROM c
        ON CONFLICT (key) DO UPDATE SET (lim, failures, pending, window_start, opened, expires_at) = (
            SELECT excluded.lim, f, p + o::int, w, o, greatest(r.expires_at, excluded.expires_at)
            FROM (SELECT CASE WHEN stale THEN 0 ELSE r.failures END AS f, CASE WHEN stale THEN 0 ELSE r.pending END AS p,
                         CASE WHEN stale THEN excluded.window_start ELSE r.window_start END AS w
                  FROM (SELECT excluded.window_start - r.window_start > $3 AS stale) z) s,
            LATERAL (SELECT r.locked_until <= excluded.window_start AND f + p < excluded.lim AS o) x)
        RETURNING opened
        """;

    // $1 key, $2 first lock (s), $3 longest lock (s), $4 how long the row matters (s).
    private const string Fail = Now + """
        UPDATE sign_in_tallies AS r SET (pending, failures, window_start, locks, locked_until, expires_at) = (
            SELECT greatest(0, r.pending - 1), CASE WHEN lock THEN 0 ELSE r.failures + 1 END,
                   CASE WHEN r.failures = 0 THEN c.t ELSE r.window_start END, r.locks + lock::int,
                   CASE WHEN lock THEN c.t + least($2 * power(2, r.locks), $3) ELSE r.locked_until END,
                   greatest(r.expires_at, c.t + $4)
            FROM (SELECT r.failures + 1 >= r.lim AS lock) l)
        FROM c WHERE r.key = $1
        RETURNING r.failures = 0, r.locks
        """;

    private const string Abandon = "UPDATE sign_in_tallies SET pending = greatest(0, pending - 1) WHERE key = $1";
    private const string Succeed = "UPDATE sign_in_tallies SET pending = greatest(0, pending - 1), failures = 0, locks = 0 WHERE key = $1";
    private const string Sweep = "DELETE FROM sign_in_tallies WHERE expires_at < extract(epoch FROM clock_timestamp())";

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private long _lastSweep = clock.GetTimestamp();

    public async Task<(bool Account, bool Address)?> BeginAsync(string account, string address)
    {
        if (store.Paused) return null;
        var o = options.Value;
        await SweepNowAndThenAsync();
        if (await OpenAsync(account, o.SignInFailuresPerAccount, o) is not { } accountOpen) return null;
        if (await OpenAsync(address, o.SignInFailuresPerAddress, o) is not { } addressOpen)
        {
            if (accountOpen) await AbandonAsync(account, null);
            return null;
        }
        return (accountOpen, addressOpen);
    }

    public async Task AbandonAsync(string? account, string? address)
    {
        foreach (var key in new[] { account, address }.OfType<string>()) await RunAsync(Abandon, key);
    }

    public async Task SucceedAsync(string account, string address)
    {
        await RunAsync(Succeed, account);
        await RunAsync(Abandon, address);
    }

    public async Task<(TimeSpan? Account, TimeSpan? Address)> FailAsync(string account, string address) =>
        (await FailAsync(account), await FailAsync(address));

    private async Task<bool?> OpenAsync(string key, int limit, AuthOptions o) =>
        await store.RunAsync(Begin, [key, limit, o.SignInFailureWindow.TotalSeconds, Kept(o)], async rows =>
        {
            await rows.ReadAsync(); // an upsert: always one row
            return (object)rows.GetBoolean(0);
        }, CancellationToken.None) as bool?;

    private async Task<TimeSpan?> FailAsync(string key)
    {
        var o = options.Value;
        var locks = await store.RunAsync(Fail, [key, o.SignInLockout.TotalSeconds, o.SignInMaxLockout.TotalSeconds, Kept(o)],
            async rows => await rows.ReadAsync() && rows.GetBoolean(0) ? (object)rows.GetInt32(1) : Done, CancellationToken.None);
        return locks is int n
            ? TimeSpan.FromTicks((long)Math.Min(o.SignInLockout.Ticks * Math.Pow(2, n - 1), o.SignInMaxLockout.Ticks))
            : null;
    }

    private Task RunAsync(string sql, string key) =>
        store.RunAsync(sql, [key], rows => Task.FromResult(Done), CancellationToken.None);

    private async Task SweepNowAndThenAsync()
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (clock.GetElapsedTime(last) < SweepEvery || Interlocked.CompareExchange(ref _lastSweep, clock.GetTimestamp(), last) != last) return;
        await store.RunAsync(Sweep, [], rows => Task.FromResult(Done), CancellationToken.None);
    }

    /// <summary>How long a row may still matter after a write: a window, and the longest lock after it.</summary>
    private static double Kept(AuthOptions o) => (o.SignInFailureWindow + o.SignInMaxLockout).TotalSeconds;

    /// <summary>What a statement whose rows say nothing more returns (null meaning: the database did not answer).</summary>
    private static readonly object Done = new();
}
