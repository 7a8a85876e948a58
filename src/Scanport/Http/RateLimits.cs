using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Http;

/// <summary>A token bucket: at most <paramref name="Limit"/> requests at once, refilled by <paramref name="TokensPerPeriod"/> every <paramref name="Period"/>.</summary>
public readonly record struct BucketLimit(int Limit, int TokensPerPeriod, TimeSpan Period)
{
    public double PerSecond => TokensPerPeriod / Period.TotalSeconds;

    /// <summary>A minute's allowance refilled one request at a time: the rate holds at every instant, with no double burst.</summary>
    public static BucketLimit PerMinute(int perMinute) => new(perMinute, 1, TimeSpan.FromMinutes(1) / perMinute);

    public static BucketLimit PerHour(int perHour) => new(perHour, 1, TimeSpan.FromHours(1) / perHour);
}

/// <summary>A fixed window: at most <paramref name="Permits"/> requests in each <paramref name="Window"/>.</summary>
public readonly record struct WindowLimit(int Permits, TimeSpan Window);

/// <summary>The <c>RateLimits</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>On PostgreSQL, count every limit in the database so that it holds for the whole cluster; false: each node counts alone.</summary>
    public bool Shared { get; set; } = true;

    /// <summary>How long a node waits for the database's count before it counts alone (and goes on alone for a few seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The one place that decides where limits are counted: in this process on SQLite (the embedded mode is one node), in
/// PostgreSQL for the whole cluster otherwise (<see cref="SharedRateLimiter"/> over <see cref="SharedLimitStore"/>).
/// </summary>
public sealed class RateLimits : IAsyncDisposable
{
    /// <summary>The most a node takes from a shared bucket at once: a tenth of its burst, and no more than a second's refill.</summary>
    private const double BatchShare = 0.1;
    internal static readonly TimeSpan BatchHold = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock;

    private RateLimits(SharedLimitStore? store, TimeProvider clock) => (Store, _clock) = (store, clock);

    /// <summary>The cluster's counts, or null where each node counts its own.</summary>
    internal SharedLimitStore? Store { get; }

    internal static RateLimits Create(IServiceProvider services)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var options = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        var store = database.Provider == "postgres" && options.Shared
            ? new SharedLimitStore(database.ConnectionString!, options.StoreTimeout, clock, services.GetRequiredService<ILogger<SharedLimitStore>>())
            : null;
        return new RateLimits(store, clock);
    }

    public RateLimiter Create(string key, BucketLimit limit) => Store is { } store
        ? new SharedRateLimiter((want, ct) => store.TakeAsync(key, limit, want, ct),
            MaxBatch(limit.Limit, limit.PerSecond), () => Local(limit, ownTimer: true), store, _clock)
        : Local(limit, ownTimer: false);

    public RateLimiter Create(string key, WindowLimit limit) => Store is { } store
        ? new SharedRateLimiter((want, ct) => store.TakeAsync(key, limit, want, ct),
            MaxBatch(limit.Permits, limit.Permits / limit.Window.TotalSeconds), () => Local(limit, ownTimer: true), store, _clock)
        : Local(limit, ownTimer: false);

    /// <summary>A limit of a few a minute takes one token at a time; the hot paths take up to a tenth of their burst.</summary>
    internal static int MaxBatch(int limit, double perSecond) =>
        (int)Math.Clamp(Math.Min(limit * BatchShare, perSecond * BatchHold.TotalSeconds), 1, int.MaxValue);

    // A partition's own limiter is refilled by ASP.NET Core's partitioned limiter (one timer for all, as RateLimitPartition's
    // factories arrange); one inside a SharedRateLimiter, which that timer does not see, needs a timer of its own.
    private static TokenBucketRateLimiter Local(BucketLimit limit, bool ownTimer) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = limit.Limit,
        TokensPerPeriod = limit.TokensPerPeriod,
        ReplenishmentPeriod = limit.Period,
        QueueLimit = 0,
        AutoReplenishment = ownTimer,
    });

    private static FixedWindowRateLimiter Local(WindowLimit limit, bool ownTimer) => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = limit.Permits,
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = ownTimer,
    });

    public ValueTask DisposeAsync() => Store?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>A surface's rate-limit policies: each one limit per partition (a caller, an address, a token), named for <c>RequireRateLimiting</c>.</summary>
public sealed class RateLimitPolicies(RateLimiterOptions options, RateLimits limits)
{
    public RateLimitPolicies Add(string policy, Func<HttpContext, string> keyOf, BucketLimit limit) =>
        Add(policy, keyOf, key => limits.Create(key, limit));

    public RateLimitPolicies Add(string policy, Func<HttpContext, string> keyOf, WindowLimit limit) =>
        Add(policy, keyOf, key => limits.Create(key, limit));

    /// <summary>A token bucket per caller (token subject, else client address).</summary>
    public RateLimitPolicies AddPerCaller(string policy, int perSecond, int burst) =>
        Add(policy, c => c.User.FindFirst("sub")?.Value ?? ClientAddress(c), new BucketLimit(burst, perSecond, TimeSpan.FromSeconds(1)));

    public static string ClientAddress(HttpContext c) => c.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private RateLimitPolicies Add(string policy, Func<HttpContext, string> keyOf, Func<string, RateLimiter> create)
    {
        // The policy's name is part of the key: in the shared store every policy's partitions live side by side.
        options.AddPolicy(policy, c => RateLimitPartition.Get($"{policy}|{keyOf(c)}", create));
        return this;
    }
}

public static class RateLimitRegistration
{
    /// <summary>Adds a surface's policies, with limiters from <see cref="RateLimits"/> (local or shared by the cluster).</summary>
    public static IServiceCollection AddRateLimits(this IServiceCollection services, Action<RateLimitPolicies> add)
    {
        services.AddOptions<RateLimiterOptions>().Configure<RateLimits>((o, limits) => add(new RateLimitPolicies(o, limits)));
        return services;
    }
}
