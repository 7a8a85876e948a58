using System.Threading.RateLimiting;

namespace Scanport.Http;

/// <summary>
/// One partition's limiter (a caller's, an address's) counted for the whole cluster by <see cref="SharedLimitStore"/>.
/// To keep hot paths off the database a node takes tokens in batches (doubling with use, up to
/// <see cref="RateLimits.MaxBatch"/>, a tenth of the burst) and uses them for at most <see cref="RateLimits.BatchHold"/>:
/// unused ones are lost. Tokens a node holds while the shared bucket refills to its top are the only way past the limit, so
/// the cluster admits in any interval at most what one bucket would plus one batch per node (a tenth of the burst each);
/// requiring the bucket never to refill while tokens are out would send a caller far below its limit (the usual case: the
/// bucket is nearly full) to the database for every request. Once refused, the node refuses locally until the shared state can have a
/// token again (nothing else adds tokens), so a client over its limit costs the database one statement, not one per request.
/// Concurrent requests on a node share one database call. <see cref="AttemptAcquireCore"/> answers from what the node holds
/// and fails where it would have to ask; <see cref="AcquireAsyncCore"/> asks (ASP.NET Core's middleware calls both, in turn).
/// While the store is paused (the database did not answer), a local limiter of the same limit counts for this node alone.
/// </summary>
internal sealed class SharedRateLimiter(
    Func<int, CancellationToken, Task<Grant?>> take, int maxBatch, Func<RateLimiter> local, SharedLimitStore store, TimeProvider clock)
    : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);
    private static readonly RateLimitLease NotHeld = new Lease(false, null);

    private readonly Lock _gate = new();
    private Grant? _batch;
    private long _batchSent, _refusedUntil, _lastUsed = clock.GetTimestamp();
    private int _held, _usedSinceTake;
    private Task? _taking;
    private RateLimiter? _local;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate) return _taking is null ? clock.GetElapsedTime(_lastUsed) : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate) return new RateLimiterStatistics { CurrentAvailablePermits = Usable(clock.GetTimestamp()) };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (store.Paused) return Local().AttemptAcquire(permitCount);
        lock (_gate) return FromHeld(permitCount, clock.GetTimestamp()) ?? NotHeld;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken ct)
    {
        while (true)
        {
            if (store.Paused) return await Local().AcquireAsync(permitCount, ct);
            Task pending;
            TaskCompletionSource? mine = null;
            int want;
            lock (_gate)
            {
                if (FromHeld(permitCount, clock.GetTimestamp()) is { } lease) return lease;
                // Twice what was used since the last take: a busy caller soon takes whole batches, a slow one single tokens.
                want = Math.Clamp(2 * (_usedSinceTake + permitCount), Math.Max(1, permitCount), Math.Max(maxBatch, permitCount));
                if (_taking is null)
                {
                    mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _taking = mine.Task;
                }
                pending = _taking;
            }
            if (mine is null) await pending.WaitAsync(ct);
            else if (await TakeAsync(permitCount, want, mine) is { } lease) return lease;
        }
    }

    /// <summary>
    /// One database call for this node's requests. The request that made it is decided by it (admitted at the database's
    /// time of the take); those that waited meanwhile use what is left, or ask again. Null: the
    /// store did not answer.
    /// </summary>
    private async Task<RateLimitLease?> TakeAsync(int permitCount, int want, TaskCompletionSource done)
    {
        var sent = clock.GetTimestamp();
        try
        {
            // Not the request's token: the call serves every request waiting on it; the store has its own timeout.
            var grant = await take(want, CancellationToken.None);
            lock (_gate)
            {
                if (grant is not { } g) return null;
                // Times count from before the call, so a batch is given up no later than the database's own time says.
                (_batch, _batchSent, _held, _usedSinceTake) = (g, sent, g.Taken, 0);
                if (g.Taken == 0)
                {
                    // At least a tick: a refusal is remembered even when the next token is a rounding error away.
                    _refusedUntil = sent + Math.Max(1, (long)Math.Ceiling(g.RetryAfter.TotalSeconds * clock.TimestampFrequency));
                    return FromHeld(permitCount, clock.GetTimestamp());
                }
                if (g.Taken < permitCount) return null;
                _held -= permitCount;
                _usedSinceTake = permitCount;
                return Granted;
            }
        }
        finally
        {
            lock (_gate) _taking = null;
            done.SetResult();
        }
    }

    /// <summary>A lease from the batch this node holds, a refusal while the shared state has no token, or null: ask.</summary>
    private RateLimitLease? FromHeld(int permitCount, long now)
    {
        _lastUsed = now;
        if (now < _refusedUntil)
            return new Lease(false, TimeSpan.FromSeconds((_refusedUntil - now) / (double)clock.TimestampFrequency));
        if (permitCount == 0) return Granted;
        if (Usable(now) < permitCount) return null;
        _held -= permitCount;
        _usedSinceTake += permitCount;
        return Granted;
    }

    private int Usable(long now) =>
        _held == 0 || _batch is null || (now - _batchSent) / (double)clock.TimestampFrequency >= _batch.ValidFor.TotalSeconds ? 0 : _held;

    private RateLimiter Local()
    {
        lock (_gate) return _local ??= local();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _local?.Dispose();
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
