using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Http;
using Scanport.Tests.Surfaces.ApsIntegration;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Vehicle360;

namespace Scanport.Tests.Cluster;

/// <summary>
/// Two nodes over one PostgreSQL database hold each document's limits together: a client alternating between them is
/// refused after the published limit in all (not twice it), in the surface's error shape with <c>Retry-After</c>, and the
/// APS integration's <c>X-RateLimit-Remaining</c> counts down whichever node answers; wrong passwords spread over both
/// nodes lock the account as they would on one.
/// PostgreSQL only (./test runs this class in its PostgreSQL pass).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int PerTokenPerMinute = 12;
    private const int FramesPerSecond = 20, FramesBurst = 400;
    private const int ApsPerUser = 6;

    private static readonly Dictionary<string, string> Limits = new()
    {
        ["Surfaces:Vehicle360:PerTokenPerMinute"] = $"{PerTokenPerMinute}",
        ["Surfaces:BodyScan:RequestsPerSecond"] = $"{FramesPerSecond}",
        ["Surfaces:BodyScan:Burst"] = $"{FramesBurst}",
        ["Surfaces:Aps:RequestsPerMinutePerUser"] = $"{ApsPerUser}",
    };

    private ScanportApp _a = null!;
    private ScanportApp _b = null!;

    public async Task InitializeAsync()
    {
        Assert.True(ScanportApp.PostgresServer is not null, "The cluster tests need PostgreSQL: set SCANPORT_TEST_PG (./test does).");
        _a = await ScanportApp.StartAsync(Limits);
        _b = await _a.StartAnotherNodeAsync(Limits);
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_b).DisposeAsync();
        await ((IAsyncLifetime)_a).DisposeAsync();
    }

    /// <summary>Sends to node A, then B, then A...; how many were let through before the first 429, that 429, and how long it took.</summary>
    private static async Task<(int Allowed, HttpResponseMessage Refused, TimeSpan Elapsed)> AlternateUntilRefusedAsync(
        HttpClient a, HttpClient b, string path, HttpStatusCode allowedStatus, int limit)
    {
        var clock = Stopwatch.StartNew();
        for (var allowed = 0; ; allowed++)
        {
            var response = await (allowed % 2 == 0 ? a : b).GetAsync(path);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) return (allowed, response, clock.Elapsed);
            await response.Status(allowedStatus);
            Assert.True(allowed < 2 * limit, $"no 429 after {allowed + 1} requests: each node counts alone");
        }
    }

    private static int RetryAfter(HttpResponseMessage response) =>
        int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_token_used_on_both_nodes_gets_the_published_limit_in_all()
    {
        var tenant = await _a.NewTenantAsync();
        var (_, token) = await tenant.UserAsync("operator");
        using var onA = _a.Client(token);
        using var onB = _b.Client(token);

        var (allowed, refused, elapsed) = await AlternateUntilRefusedAsync(onA, onB, $"{V360Calls.Base}/sessions/{Guid.NewGuid()}",
            HttpStatusCode.NotFound, PerTokenPerMinute);

        // A bucket of a minute's allowance refilled one at a time: what refilled while the test ran may be added.
        Assert.InRange(allowed, PerTokenPerMinute, PerTokenPerMinute + (int)Math.Ceiling(elapsed.TotalMinutes * PerTokenPerMinute) + 1);
        await refused.Error(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(RetryAfter(refused), 1, 60 / PerTokenPerMinute);
        // The other node refuses it too.
        var other = await (allowed % 2 == 0 ? onB : onA).GetAsync($"{V360Calls.Base}/sessions");
        await other.Error(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(RetryAfter(other), 1, 60 / PerTokenPerMinute);
    }

    [Fact]
    public async Task Body_scan_callers_on_both_nodes_get_the_burst_in_all_though_nodes_take_tokens_in_batches()
    {
        var tenant = await _a.NewTenantAsync();
        var (_, token) = await tenant.UserAsync("operator");
        using var onA = _a.Client(token);
        using var onB = _b.Client(token);

        var (allowed, refused, elapsed) = await AlternateUntilRefusedAsync(onA, onB, $"/api/scan/status?scanId={Guid.NewGuid()}",
            HttpStatusCode.NotFound, FramesBurst);

        // The bucket's burst, give or take a batch per node: fewer by what the other node holds unused when one is refused,
        // more by what the nodes held while the bucket refilled to its top.
        var batch = RateLimits.MaxBatch(FramesBurst, FramesPerSecond);
        Assert.InRange(allowed, FramesBurst - batch, FramesBurst + 2 * batch + (int)Math.Ceiling(elapsed.TotalSeconds * FramesPerSecond) + 1);
        var body = await refused.Status(HttpStatusCode.TooManyRequests);
        Assert.Equal(["details", "error", "requestId"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(1, RetryAfter(refused));
    }

    [Fact]
    public async Task The_remaining_requests_count_down_whichever_node_answers()
    {
        var (_, signedIn) = await _a.UserAsync();
        var token = signedIn.DefaultRequestHeaders.Authorization!.Parameter!;
        signedIn.Dispose();
        using var onA = _a.Client(token);
        using var onB = _b.Client(token);
        // The counting windows are whole minutes: a sequence starting early in one is counted in one.
        var second = TimeProvider.System.GetUtcNow().Second;
        if (second > 45) await Task.Delay(TimeSpan.FromSeconds(61 - second));

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= ApsPerUser; i++) answers.Add(await (i % 2 == 0 ? onA : onB).GetAsync($"{ApsiCalls.Base}/projects"));

        Assert.All(answers[..ApsPerUser], a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal([5, 4, 3, 2, 1, 0, 0], answers.Select(a => Header(a, "X-RateLimit-Remaining")));
        Assert.All(answers, a => Assert.Equal(ApsPerUser, Header(a, "X-RateLimit-Limit")));
        Assert.Single(answers.Select(a => Header(a, "X-RateLimit-Reset")).Distinct());
        var refused = answers[^1];
        await refused.ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.InRange(RetryAfter(refused), 1, 60);
    }

    [Fact]
    public async Task A_fixed_window_and_a_slow_bucket_hold_across_nodes()
    {
        // The platform token endpoint's kind of limit (a window per address), and the registrations' (a bucket per hour),
        // asked of each node's limiters directly: the suite's own sign-ins must not meet a small token limit.
        var (onA, onB) = (_a.Services.GetRequiredService<RateLimits>(), _b.Services.GetRequiredService<RateLimits>());
        var key = $"test|{Guid.NewGuid():N}";
        var window = new WindowLimit(3, TimeSpan.FromDays(1));
        var bucket = BucketLimit.PerHour(5);
        using RateLimiter windowA = onA.Create($"{key}|w", window), windowB = onB.Create($"{key}|w", window);
        using RateLimiter bucketA = onA.Create($"{key}|b", bucket), bucketB = onB.Create($"{key}|b", bucket);

        Assert.Equal(3, await AdmittedAsync(windowA, windowB, 6));
        Assert.Equal(5, await AdmittedAsync(bucketA, bucketB, 10));

        using var refused = await windowB.AcquireAsync(1);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var untilTomorrow) && untilTomorrow > TimeSpan.Zero);
        using var emptied = await bucketA.AcquireAsync(1);
        Assert.True(emptied.TryGetMetadata(MetadataName.RetryAfter, out var nextToken));
        Assert.InRange(nextToken, TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(12));
    }

    [Fact]
    public async Task Wrong_passwords_spread_over_both_nodes_lock_the_account_on_both()
    {
        var tenant = await _a.NewTenantAsync();
        var email = PlatformCalls.NewEmail();
        using (var admin = tenant.Admin())
            await admin.CreateUserAsync(new { email, role = "operator", password = PlatformCalls.UserPassword });
        Task<HttpResponseMessage> SignIn(ScanportApp node, string password) =>
            node.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", password));

        // Five (the default) in all, three on A and two on B: each node alone would have seen fewer.
        for (var i = 0; i < 5; i++)
            await (await SignIn(i % 2 == 0 ? _a : _b, $"wrong-guess-{i}")).OAuthError(HttpStatusCode.BadRequest, "invalid_grant");

        foreach (var node in new[] { _a, _b })
            await (await SignIn(node, PlatformCalls.UserPassword)).OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Counters_that_say_no_more_than_a_missing_row_are_deleted()
    {
        var limits = _a.Services.GetRequiredService<RateLimits>();
        var (spent, full) = ($"test|{Guid.NewGuid():N}|spent", $"test|{Guid.NewGuid():N}|full");
        using RateLimiter slow = limits.Create(spent, BucketLimit.PerHour(5)), fast = limits.Create(full, new BucketLimit(5, 1000, TimeSpan.FromSeconds(1)));
        Assert.True(await AdmittedAsync(slow, slow, 1) == 1 && await AdmittedAsync(fast, fast, 1) == 1);

        await Task.Delay(50); // the fast bucket is full again after a millisecond
        await limits.Store!.SweepAsync(CancellationToken.None);

        await using var connection = new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(ScanportApp.PostgresServer) { Database = _a.DatabaseName }.ToString());
        await connection.OpenAsync();
        await using var keys = new Npgsql.NpgsqlCommand("SELECT array_agg(key) FROM rate_limits WHERE key = ANY(@keys)", connection);
        keys.Parameters.AddWithValue("keys", new[] { spent, full });
        Assert.Equal([spent], (string[])(await keys.ExecuteScalarAsync())!);
    }

    private static async Task<int> AdmittedAsync(RateLimiter a, RateLimiter b, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            using var lease = await (i % 2 == 0 ? a : b).AcquireAsync(1);
            admitted += lease.IsAcquired ? 1 : 0;
        }
        return admitted;
    }

    private static long Header(HttpResponseMessage response, string name) =>
        long.Parse(Assert.Single(response.Headers.GetValues(name)), CultureInfo.InvariantCulture);
}
