using System.Collections.Concurrent;
using System.Globalization;

namespace Scanport.Http;

/// <summary>A surface's published request limits: so many requests per window for each signed-in principal and each client address.</summary>
public sealed record RequestQuota(int PerPrincipal, int PerAddress, TimeSpan Window, ApiError Refusal);

/// <summary>
/// Fixed-window request counting for the surfaces whose documents promise <c>X-RateLimit-Limit</c>,
/// <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> (the window's end, Unix seconds) on every answer.
/// ASP.NET Core's rate limiter refuses well but cannot tell a client how much is left or when it resets, which these
/// headers need; the counting here is that small part. On PostgreSQL the counts are the cluster's (one statement per
/// request, in <see cref="SharedLimitStore"/>, windows timed by the database's clock), so <c>X-RateLimit-Remaining</c> counts
/// down whichever node answers; on SQLite, and while the database does not answer, they are this process's.
/// </summary>
public sealed class RequestQuotas(TimeProvider clock, RateLimits limits)
{
    private readonly List<(PathString Prefix, RequestQuota Quota)> _byPrefix = [];
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastSweep;

    public void Register(PathString prefix, RequestQuota quota)
    {
        _byPrefix.Add((prefix, quota));
        _byPrefix.Sort((a, b) => b.Prefix.Value!.Length.CompareTo(a.Prefix.Value!.Length));
    }

    /// <summary>The quota of the surface <paramref name="path"/> belongs to, and that surface's base path.</summary>
    internal (PathString Prefix, RequestQuota Quota)? For(PathString path) =>
        _byPrefix.FirstOrDefault(p => path.StartsWithSegments(p.Prefix)) is { Quota: not null } found ? found : null;

    /// <summary>Counts one request of the address (and of the principal, when signed in) and says what is left.</summary>
    internal async ValueTask<QuotaState> TakeAsync(PathString prefix, RequestQuota quota, string address, string? principal, CancellationToken ct)
    {
        var (byAddress, byPrincipal) = ($"quota|{prefix}|a:{address}", principal is null ? null : $"quota|{prefix}|p:{principal}");
        if (limits.Store is { Paused: false } store
            && await store.CountAsync(byPrincipal is null ? [byAddress] : [byAddress, byPrincipal], quota.Window, ct) is { } shared)
        {
            var wait = (long)Math.Ceiling(shared.End - shared.Now);
            return Nearest(quota, shared.Counts[byAddress], byPrincipal is null ? null : shared.Counts[byPrincipal], (long)shared.End, wait);
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var length = (long)quota.Window.TotalMilliseconds;
        var window = now / length;
        var reset = (window + 1) * length / 1000;
        Sweep(window);
        return Nearest(quota, Count(byAddress, window), byPrincipal is null ? null : Count(byPrincipal, window), reset,
            (long)Math.Ceiling((reset * 1000 - now) / 1000.0));
    }

    /// <summary>The headers tell the limit nearest to refusing.</summary>
    private static QuotaState Nearest(RequestQuota quota, int byAddress, int? byPrincipal, long reset, long wait)
    {
        var state = new QuotaState(quota.PerAddress, quota.PerAddress - byAddress, reset, wait);
        return byPrincipal is { } count && quota.PerPrincipal - count <= state.Remaining
            ? state with { Limit = quota.PerPrincipal, Remaining = quota.PerPrincipal - count }
            : state;
    }

    private int Count(string key, long window)
    {
        var entry = _windows.GetOrAdd(key, _ => new Window());
        lock (entry)
        {
            if (entry.Number != window) (entry.Number, entry.Count) = (window, 0);
            return ++entry.Count;
        }
    }

    /// <summary>Forgets the counters of windows that have passed, at most once a window.</summary>
    private void Sweep(long window)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (last >= window || Interlocked.CompareExchange(ref _lastSweep, window, last) != last) return;
        foreach (var (key, entry) in _windows)
            if (Volatile.Read(ref entry.Number) < window) _windows.TryRemove(KeyValuePair.Create(key, entry));
    }

    private sealed class Window
    {
        public long Number = -1;
        public int Count;
    }
}

/// <summary>What the headers tell; <see cref="RetryAfterSeconds"/>: until the window's end, by the clock that counted.</summary>
internal readonly record struct QuotaState(int Limit, int Remaining, long ResetUnixSeconds, long RetryAfterSeconds)
{
    public bool Exceeded => Remaining < 0;
}

/// <summary>
/// Runs after authentication and before authorization, so refused and unauthenticated requests are counted and told
/// their headers too; a request over a limit is answered 429 in the surface's shape with <c>Retry-After</c>.
/// </summary>
internal sealed class RequestQuotaMiddleware(RequestDelegate next, RequestQuotas quotas, ErrorShapes shapes)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (quotas.For(context.Request.Path) is not (var prefix, { } quota))
        {
            await next(context);
            return;
        }
        var principal = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst("sub")?.Value : null;
        var state = await quotas.TakeAsync(prefix, quota, RateLimitPolicies.ClientAddress(context), principal, context.RequestAborted);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = state.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = Math.Max(0, state.Remaining).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = state.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        if (!state.Exceeded)
        {
            await next(context);
            return;
        }
        context.Response.Headers.RetryAfter = Math.Max(1, state.RetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        await ErrorShapes.WriteAsync(context, shapes.For(context), quota.Refusal);
    }
}
