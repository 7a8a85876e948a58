using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Scanport.Http;

namespace Scanport.Tests.Http;

/// <summary>
/// The shared limiter's own rules, over a bucket that does in memory what <c>SharedLimitStore</c>'s statement does in
/// PostgreSQL, on a clock the test moves: nodes taking batches let the cluster past one bucket's limit in any interval by
/// at most a batch each, lose little of it, ask the database seldom on a hot path (near the limit and far below it) and
/// not at all while refused, and count alone while the database does not answer. (The statements themselves are tested across two nodes in <c>Cluster/RateLimitTests</c>.)
/// </summary>
public sealed class SharedRateLimiterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = TimeSpan.TicksPerDay;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(Ticks);
        public double Seconds => Ticks / (double)TimeSpan.TicksPerSecond;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    /// <summary>The bucket statement's arithmetic: refill since the last take, capped; as many whole tokens as wanted and there.</summary>
    private sealed class SharedBucket(ManualClock clock, BucketLimit limit)
    {
        private double _level = limit.Limit, _stamp = clock.Seconds;
        public int Calls { get; private set; }

        public Task<Grant?> TakeAsync(int want, CancellationToken _)
        {
            Calls++;
            var refilled = Math.Min(limit.Limit, _level + (clock.Seconds - _stamp) * limit.PerSecond);
            var taken = refilled >= 1 ? Math.Min(want, (int)Math.Floor(refilled)) : 0;
            (_level, _stamp) = (refilled - taken, clock.Seconds);
            return Task.FromResult<Grant?>(Grant.OfBucket(limit, _level, taken));
        }
    }

    private static readonly SharedLimitStore Store = new("Host=127.0.0.1;Port=1;Timeout=1", TimeSpan.FromMilliseconds(200),
        TimeProvider.System, NullLogger<SharedLimitStore>.Instance);

    private static SharedRateLimiter Node(SharedBucket bucket, BucketLimit limit, TimeProvider clock) =>
        new(bucket.TakeAsync, RateLimits.MaxBatch(limit.Limit, limit.PerSecond), () => throw new InvalidOperationException("not paused"), Store, clock);

    private static async Task<bool> AcquireAsync(RateLimiter node)
    {
        using var lease = await node.AcquireAsync(1);
        return lease.IsAcquired;
    }

    [Fact]
    public async Task Nodes_taking_batches_admit_at_most_a_batch_each_over_the_bucket_in_any_interval_and_hardly_less()
    {
        var limit = new BucketLimit(200, 100, TimeSpan.FromSeconds(1));
        var clock = new ManualClock();
        var bucket = new SharedBucket(clock, limit);
        var nodes = Enumerable.Range(0, 3).Select(_ => Node(bucket, limit, clock)).ToArray();
        var random = new Random(14);
        var admitted = new List<double>();
        // The same requests at one bucket, a token at a time: what one process would admit.
        var oneClock = new ManualClock();
        var one = new SharedBucket(oneClock, limit);
        var byOne = 0;

        for (var i = 0; i < 30_000; i++)
        {
            // Bursts and lulls: at times far above the limit, at times far below.
            var step = TimeSpan.FromMicroseconds(random.Next(0, i / 3000 % 2 == 0 ? 2_000 : 30_000));
            clock.Advance(step);
            oneClock.Advance(step);
            if ((await one.TakeAsync(1, default))!.Taken == 1) byOne++;
            if (await AcquireAsync(nodes[random.Next(nodes.Length)])) admitted.Add(clock.Seconds);
        }

        // In every interval [a, b]: admitted ≤ burst + rate × (b − a). With u_k = k − rate × t_k that is u_j − u_i ≤ burst − 1.
        var lowest = double.MaxValue;
        var worst = double.MinValue;
        for (var k = 0; k < admitted.Count; k++)
        {
            var u = k - limit.PerSecond * admitted[k];
            lowest = Math.Min(lowest, u);
            worst = Math.Max(worst, u - lowest);
        }
        var allowed = limit.Limit + nodes.Length * RateLimits.MaxBatch(limit.Limit, limit.PerSecond);
        Assert.True(worst <= allowed - 1 + 1e-6, $"{worst + 1:F2} admitted where the bucket and a batch per node allow {allowed}");
        // Batches lost unused cost little: within 1% of what a single bucket admits, for a fraction of the calls.
        Assert.True(admitted.Count >= (int)(byOne * 0.99), $"{admitted.Count} admitted where one bucket admits {byOne}");
        Assert.True(bucket.Calls < admitted.Count / 2, $"{bucket.Calls} database calls for {admitted.Count} admissions");
    }

    [Fact]
    public async Task A_client_just_under_the_limit_on_two_nodes_is_hardly_refused_and_the_database_seldom_asked()
    {
        var limit = new BucketLimit(2000, 1000, TimeSpan.FromSeconds(1));
        var clock = new ManualClock();
        var bucket = new SharedBucket(clock, limit);
        var nodes = new[] { Node(bucket, limit, clock), Node(bucket, limit, clock) };
        var refused = 0;

        // 950 a second for a minute, alternating between the nodes.
        for (var i = 0; i < 57_000; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1) / 950);
            if (!await AcquireAsync(nodes[i % 2])) refused++;
        }

        Assert.Equal(0, refused);
        Assert.True(bucket.Calls < 57_000 / 20, $"{bucket.Calls} database calls for 57,000 requests");
    }

    [Fact]
    public async Task A_client_far_below_its_limit_asks_the_database_about_once_a_second_per_node()
    {
        // A capture device posting 30 frames a second against the body-scan limit (1,000 a second, burst 2,000): the
        // shared bucket stays nearly full, and a node still answers from its batch.
        var limit = new BucketLimit(2000, 1000, TimeSpan.FromSeconds(1));
        var clock = new ManualClock();
        var bucket = new SharedBucket(clock, limit);
        var nodes = new[] { Node(bucket, limit, clock), Node(bucket, limit, clock) };

        for (var i = 0; i < 30 * 60; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1) / 30);
            Assert.True(await AcquireAsync(nodes[i % 2]));
        }

        Assert.True(bucket.Calls <= 2 * 60 + 10, $"{bucket.Calls} database calls for a minute of 30 requests a second on two nodes");
    }

    [Fact]
    public async Task A_client_over_its_limit_is_refused_with_retry_after_and_no_database_call_until_a_token_can_be_there()
    {
        var limit = BucketLimit.PerMinute(6);
        var clock = new ManualClock();
        var bucket = new SharedBucket(clock, limit);
        var (a, b) = (Node(bucket, limit, clock), Node(bucket, limit, clock));

        for (var i = 0; i < 6; i++) Assert.True(await AcquireAsync(i % 2 == 0 ? a : b));
        Assert.Equal(6, bucket.Calls); // a few a minute: one token at a time

        using var refused = await a.AcquireAsync(1);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
        var calls = bucket.Calls;
        for (var i = 0; i < 100; i++) Assert.False(await AcquireAsync(a));
        Assert.Equal(calls, bucket.Calls);

        clock.Advance(retryAfter);
        Assert.True(await AcquireAsync(a));
        Assert.False(await AcquireAsync(b));
    }

    [Fact]
    public async Task Requests_waiting_on_one_node_share_its_database_call()
    {
        var limit = new BucketLimit(100, 100, TimeSpan.FromSeconds(1));
        var clock = new ManualClock();
        var bucket = new SharedBucket(clock, limit);
        var gate = new TaskCompletionSource();
        var node = new SharedRateLimiter(async (want, ct) =>
        {
            await gate.Task;
            return await bucket.TakeAsync(want, ct);
        }, RateLimits.MaxBatch(limit.Limit, limit.PerSecond), () => throw new InvalidOperationException("not paused"), Store, clock);

        var waiting = Enumerable.Range(0, 20).Select(_ => AcquireAsync(node)).ToArray();
        Assert.Equal(0, bucket.Calls);
        gate.SetResult();

        Assert.All(await Task.WhenAll(waiting), Assert.True);
        Assert.InRange(bucket.Calls, 1, 10);
    }

    [Fact]
    public async Task While_the_database_does_not_answer_each_node_counts_alone()
    {
        var store = new SharedLimitStore("Host=127.0.0.1;Port=1;Timeout=1", TimeSpan.FromMilliseconds(500), TimeProvider.System,
            NullLogger<SharedLimitStore>.Instance);
        await using var _ = store;
        var limit = BucketLimit.PerHour(3);
        using var node = new SharedRateLimiter((want, ct) => store.TakeAsync("k", limit, want, ct), 1,
            () => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 3,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(20),
                QueueLimit = 0,
            }), store, TimeProvider.System);

        for (var i = 0; i < 3; i++) Assert.True(await AcquireAsync(node));
        Assert.True(store.Paused);
        using var refused = await node.AcquireAsync(1);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero);
    }
}
