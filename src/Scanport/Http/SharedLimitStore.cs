using Npgsql;
using NpgsqlTypes;

namespace Scanport.Http;

/// <summary>
/// What the database granted of a shared limit: <see cref="Taken"/> tokens (none: refused, try again after
/// <see cref="RetryAfter"/>). A node may use them for <see cref="ValidFor"/>; what it has not used by then is lost.
/// </summary>
internal sealed record Grant(int Taken, TimeSpan ValidFor, TimeSpan RetryAfter)
{
    /// <summary>A bucket left at <paramref name="level"/> tokens after <paramref name="taken"/> were taken.</summary>
    public static Grant OfBucket(BucketLimit limit, double level, int taken) =>
        new(taken, RateLimits.BatchHold, taken > 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - level) / limit.PerSecond));

    /// <summary>A window that ends <paramref name="left"/> from the take: its permits are good until then.</summary>
    public static Grant OfWindow(TimeSpan left, int taken) =>
        new(taken, left < RateLimits.BatchHold ? left : RateLimits.BatchHold, taken > 0 ? TimeSpan.Zero : left);
}

/// <summary>The fixed-window counts of some keys, the window's end and the database's time, in Unix seconds.</summary>
internal sealed record WindowCounts(IReadOnlyDictionary<string, int> Counts, double End, double Now);

/// <summary>
/// Rate-limit counters every node shares, in PostgreSQL's UNLOGGED table <c>rate_limits</c> (counters need neither the
/// write-ahead log nor to survive a crash). Each acquisition is one atomic statement (an upsert that refills, checks and
/// takes), timed by the database's clock so nodes' clocks need not agree. A row is overwritten in place for its key and
/// deleted once it says no more than a missing row would (a full bucket, a past window): see <see cref="SweepAsync"/>.
/// When the database does not answer within the store timeout, callers count alone for <see cref="Pause"/>.
/// A row: <c>level</c> (a bucket's tokens at <c>stamp</c>, or the requests counted in the window ending at
/// <c>expires_at</c>), <c>taken</c> (what the last statement took), <c>stamp</c> (its time), <c>expires_at</c> — all times in
/// Unix seconds of the database's clock.
/// </summary>
internal sealed class SharedLimitStore : IAsyncDisposable
{
    /// <summary>How long nodes count alone after the database failed them, before asking it again.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    private const string Now = "WITH c AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS t) ";

    // $1 key, $2 burst, $3 refill per second, $4 tokens wanted. Refilled for the time since the last take, capped at the
    // burst; as many whole tokens as are wanted and there; the row kept until the bucket would be full again.
    private const string TakeFromBucket = Now + """
        INSERT INTO rate_limits AS r (key, level, taken, stamp, expires_at)
        SELECT $1, $2 - least($4, floor($2)), least($4, floor($2)), t, t + least($4, floor($2)) / $3 FROM c
        ON CONFLICT (key) DO UPDATE SET (level, taken, stamp, expires_at) = (
            SELECT f - g, g, excluded.stamp, excluded.stamp + ($2 - (f - g)) / $3
            FROM (SELECT least($2, r.level + greatest(0, excluded.stamp - r.stamp) * $3) AS f) s,
            LATERAL (SELECT CASE WHEN f >= 1 THEN least($4, floor(f)) ELSE 0 END AS g) x)
        RETURNING level, taken, stamp, expires_at
        """;

    // $1 key, $2 permits, $3 window in seconds, $4 permits wanted. Windows end at multiples of their length since the epoch.
    private const string TakeFromWindow = Now + """
        INSERT INTO rate_limits AS r (key, level, taken, stamp, expires_at)
        SELECT $1, least($4, $2), least($4, $2), t, (floor(t / $3) + 1) * $3 FROM c
        ON CONFLICT (key) DO UPDATE SET (level, taken, stamp, expires_at) = (
            SELECT u + g, g, excluded.stamp, excluded.expires_at
            FROM (SELECT CASE WHEN r.expires_at = excluded.expires_at THEN r.level ELSE 0 END AS u) s,
            LATERAL (SELECT greatest(0, least($4, $2 - u)) AS g) x)
        RETURNING level, taken, stamp, expires_at
        """;

    // $1 keys (sorted, so two statements lock shared rows in one order), $2 window in seconds: one more request for each.
    private const string CountInWindow = Now + """
        INSERT INTO rate_limits AS r (key, level, taken, stamp, expires_at)
        SELECT k, 1, 1, t, (floor(t / $2) + 1) * $2 FROM unnest($1::text[]) AS k, c
        ON CONFLICT (key) DO UPDATE SET
            level = CASE WHEN r.expires_at = excluded.expires_at THEN r.level + 1 ELSE 1 END,
            taken = 1, stamp = excluded.stamp, expires_at = excluded.expires_at
        RETURNING key, level, stamp, expires_at
        """;

    private readonly NpgsqlDataSource _source;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private long _pausedUntil;
    private int _paused;

    public SharedLimitStore(string connectionString, TimeSpan timeout, TimeProvider clock, ILogger<SharedLimitStore> logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "scanport-limits", NoResetOnClose = true };
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 8;
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        (_timeout, _clock, _logger) = (timeout, clock, logger);
    }

    /// <summary>True while nodes count alone, after the database failed to answer.</summary>
    public bool Paused => Volatile.Read(ref _paused) == 1 && _clock.GetTimestamp() < Volatile.Read(ref _pausedUntil);

    public Task<Grant?> TakeAsync(string key, BucketLimit limit, int want, CancellationToken ct) =>
        RunAsync(TakeFromBucket, [key, (double)limit.Limit, limit.PerSecond, want], async rows =>
        {
            await rows.ReadAsync(ct);
            return Grant.OfBucket(limit, rows.GetDouble(0), rows.GetInt32(1));
        }, ct);

    public Task<Grant?> TakeAsync(string key, WindowLimit limit, int want, CancellationToken ct) =>
        RunAsync(TakeFromWindow, [key, (double)limit.Permits, limit.Window.TotalSeconds, want], async rows =>
        {
            await rows.ReadAsync(ct);
            return Grant.OfWindow(TimeSpan.FromSeconds(rows.GetDouble(3) - rows.GetDouble(2)), rows.GetInt32(1));
        }, ct);

    /// <summary>Counts one request for each key in the current window of <paramref name="window"/>.</summary>
    public async Task<WindowCounts?> CountAsync(string[] keys, TimeSpan window, CancellationToken ct)
    {
        var sorted = keys.Order(StringComparer.Ordinal).ToArray();
        return await RunAsync(CountInWindow, [sorted, window.TotalSeconds], async rows =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            double end = 0, now = 0;
            while (await rows.ReadAsync(ct)) (counts[rows.GetString(0)], now, end) = ((int)rows.GetDouble(1), rows.GetDouble(2), rows.GetDouble(3));
            return new WindowCounts(counts, end, now);
        }, ct);
    }

    /// <summary>Deletes the rows that say no more than a missing row would: full buckets, past windows.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var delete = _source.CreateCommand("DELETE FROM rate_limits WHERE expires_at < extract(epoch FROM clock_timestamp())");
        return await delete.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Runs one statement within the store timeout; null when the database did not answer (callers then count alone). When
    /// it cannot be reached (or lacks the table: not migrated) every caller counts alone for <see cref="Pause"/>; a refusal of
    /// one statement (a deadlock) costs only that one.
    /// </summary>
    internal async Task<T?> RunAsync<T>(string sql, object[] values, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct) where T : class
    {
        using var timeout = new CancellationTokenSource(_timeout, _clock);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await using var command = _source.CreateCommand(sql);
            foreach (var value in values) command.Parameters.Add(ParameterOf(value));
            await using var rows = await command.ExecuteReaderAsync(both.Token);
            var result = await read(rows);
            if (Interlocked.Exchange(ref _paused, 0) == 1) _logger.LogInformation("Rate limits and sign-in failures are counted across the cluster again");
            return result;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            _logger.LogDebug(e, "A shared rate-limit count was refused; counted by this node alone");
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            Volatile.Write(ref _pausedUntil, _clock.GetTimestamp() + (long)(Pause.TotalSeconds * _clock.TimestampFrequency));
            if (Interlocked.Exchange(ref _paused, 1) == 0)
                _logger.LogWarning(e, "Rate limits and sign-in failures are counted by each node alone for {Pause}: the database did not answer within {Timeout}", Pause, _timeout);
            return null;
        }
    }

    private static NpgsqlParameter ParameterOf(object value) => value switch
    {
        string[] keys => new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        _ => new NpgsqlParameter { Value = value },
    };

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}

/// <summary>Deletes the shared counters that have expired, every minute, on every node (deleting twice does no harm).</summary>
internal sealed class SharedLimitSweeper(RateLimits limits, TimeProvider clock, ILogger<SharedLimitSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (limits.Store is not { } store) return;
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    var deleted = await store.SweepAsync(ct);
                    logger.LogDebug("Deleted {Count} expired rate-limit counters", deleted);
                }
                catch (NpgsqlException e)
                {
                    logger.LogDebug(e, "Expired rate-limit counters not deleted this time");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
