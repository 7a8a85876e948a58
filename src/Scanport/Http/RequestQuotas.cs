using System.Collections.Concurrent;
using System.Globalization;

namespace Scanport.Http;

/// <summary>A surface's published request limits: so many requests per window for each signed-in principal and each client address.</summary>
public sealed record RequestQuota(int PerPrincipal, int PerAddress, TimeSpan Window, ApiError Refusal);

/// <summary>
/// Fixed-window request counting for the surfaces whose documents promise <c>X-RateLimit-Limit</c>,
/// <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> (the window's end, Unix seconds) on every answer.
/// ASP.NET Core's rate limiter refuses well but cannot tell a client how much is left or when it resets, which these
/// headers need; the counting here is that small part. Counts are per process (one node's share of the cluster).
/// </summary>
public sealed class RequestQuotas(TimeProvider clock)
{
    private readonly List<(PathString Prefix, RequestQuota Quota)> _byPrefix = [];
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastSweep;

    public void Register(PathString prefix, RequestQuota quota)
    {
        _byPrefix.Add((prefix, quota));
        _byPrefix.Sort((a, b) => b.Prefix.Value!.Length.CompareTo(a.Prefix.Value!.Length));
    }

    internal RequestQuota? For(PathString path) => _byPrefix.FirstOrDefault(p => path.StartsWithSegments(p.Prefix)).Quota;

    /// <summary>Counts one request of the address (and of the principal, when signed in) and says what is left.</summary>
    internal QuotaState Take(RequestQuota quota, string address, string? principal)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var length = (long)quota.Window.TotalMilliseconds;
        var window = now / length;
        var reset = (window + 1) * length / 1000;
        Sweep(window);
        var byAddress = Count($"a:{address}", window);
        var state = new QuotaState(quota.PerAddress, quota.PerAddress - byAddress, reset);
        if (principal is not null)
        {
            var byPrincipal = Count($"p:{principal}", window);
            var mine = new QuotaState(quota.PerPrincipal, quota.PerPrincipal - byPrincipal, reset);
            // The headers tell the limit nearest to refusing.
            if (mine.Remaining <= state.Remaining) state = mine;
        }
        return state;
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

internal readonly record struct QuotaState(int Limit, int Remaining, long ResetUnixSeconds)
{
    public bool Exceeded => Remaining < 0;
}

/// <summary>
/// Runs after authentication and before authorization, so refused and unauthenticated requests are counted and told
/// their headers too; a request over a limit is answered 429 in the surface's shape with <c>Retry-After</c>.
/// </summary>
internal sealed class RequestQuotaMiddleware(RequestDelegate next, RequestQuotas quotas, ErrorShapes shapes, TimeProvider clock)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (quotas.For(context.Request.Path) is not { } quota) return next(context);
        var principal = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst("sub")?.Value : null;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var state = quotas.Take(quota, address, principal);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = state.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = Math.Max(0, state.Remaining).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = state.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        if (!state.Exceeded) return next(context);
        var wait = Math.Max(1, state.ResetUnixSeconds - clock.GetUtcNow().ToUnixTimeSeconds());
        context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        return ErrorShapes.WriteAsync(context, shapes.For(context), quota.Refusal);
    }
}
