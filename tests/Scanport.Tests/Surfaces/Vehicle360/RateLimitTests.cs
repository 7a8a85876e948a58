using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Scanport.Surfaces.Vehicle360;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>An app of its own whose presign and events limits are 5 a minute, so a test reaches them quickly.</summary>
public sealed class LoweredLimitsFixture : IAsyncLifetime
{
    public const int Lowered = 5;

    public ScanportApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await ScanportApp.StartAsync(new Dictionary<string, string>
    {
        ["Surfaces:Vehicle360:PresignPerMinute"] = $"{Lowered}",
        ["Surfaces:Vehicle360:EventsPerMinute"] = $"{Lowered}",
    });

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>
/// The document's rate limits. Each limit is a bucket of a minute's allowance refilled one request at a time, so a
/// test that sends N requests over t seconds may see up to t × N/60 more accepted than the allowance: the counts
/// below allow for that. The device-enrollment limit is per address, and every test client is 127.0.0.1, so those
/// tests run on an app of their own, never the shared one.
/// </summary>
public sealed class RateLimitTests(LoweredLimitsFixture fixture) : IClassFixture<LoweredLimitsFixture>
{
    private ScanportApp App => fixture.App;

    [Fact]
    public void The_default_limits_are_the_documents_table()
    {
        var options = new Vehicle360Options();

        Assert.Equal(100, options.DeviceAuthPerMinute);
        Assert.Equal(500, options.PresignPerMinute);
        Assert.Equal(1000, options.EventsPerMinute);
        Assert.Equal(300, options.PerTokenPerMinute);
    }

    /// <summary>Sends until one is refused; returns how many were let through, and the refusal.</summary>
    private static async Task<(int Allowed, HttpResponseMessage Refused, TimeSpan Elapsed)> UntilRefusedAsync(
        Func<Task<HttpResponseMessage>> send, int limit, HttpStatusCode allowedStatus)
    {
        var clock = Stopwatch.StartNew();
        for (var allowed = 0; ; allowed++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests) return (allowed, response, clock.Elapsed);
            await response.Status(allowedStatus);
            // Bounded: even on a slow machine the bucket refills slower than this loop drains it.
            Assert.True(allowed < limit * 3, $"no 429 after {allowed + 1} requests");
        }
    }

    private static void AssertAllowance(int allowed, int limit, TimeSpan elapsed)
    {
        var refilled = (int)Math.Ceiling(elapsed.TotalMinutes * limit) + 1;
        Assert.InRange(allowed, limit, limit + refilled);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        await response.Error(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task The_101st_enrollment_from_one_address_in_a_minute_is_refused_before_any_work()
    {
        var own = await ScanportApp.StartAsync(new Dictionary<string, string>());
        try
        {
            var tenant = await own.NewTenantAsync();
            var codes = new List<string>();
            for (var i = 0; i < 3; i++) codes.Add(await tenant.EnrollmentCodeAsync());
            using var client = own.Client();
            var invalid = new { org_id = tenant.OrgId, platform = "ios" };
            var limit = new Vehicle360Options().DeviceAuthPerMinute;

            // Invalid bodies count too: the limiter runs before the handler reads the body.
            var (allowed, refused, elapsed) = await UntilRefusedAsync(
                () => client.PostAsJsonAsync($"{Base}/auth/device", invalid), limit, HttpStatusCode.BadRequest);
            AssertAllowance(allowed, limit, elapsed);
            await AssertRateLimitedAsync(refused);

            // A valid enrollment is refused as well and uses nothing up. Should the bucket refill between two
            // requests, the code is spent and the next one tries again, after draining the bucket anew.
            string? kept = null;
            foreach (var code in codes)
            {
                var response = await client.PostAsJsonAsync($"{Base}/auth/device", DeviceBody(tenant.OrgId, code));
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await AssertRateLimitedAsync(response);
                    kept = code;
                    break;
                }
                await response.Status(HttpStatusCode.OK);
                await UntilRefusedAsync(() => client.PostAsJsonAsync($"{Base}/auth/device", invalid), limit, HttpStatusCode.BadRequest);
            }
            Assert.NotNull(kept);
            // Once the bucket holds a request again, the refused code still enrolls: the 429 created no device.
            await Task.Delay(TimeSpan.FromMinutes(1) / limit + TimeSpan.FromMilliseconds(300));
            await (await client.PostAsJsonAsync($"{Base}/auth/device", DeviceBody(tenant.OrgId, kept))).Status(HttpStatusCode.OK);
        }
        finally
        {
            await ((IAsyncLifetime)own).DisposeAsync();
        }
    }

    [Fact]
    public async Task The_301st_request_with_one_token_is_refused_and_other_tokens_go_on()
    {
        var tenant = await App.NewTenantAsync();
        var email = PlatformCalls.NewEmail();
        using (var admin = tenant.Admin())
            await admin.CreateUserAsync(new { email, role = "operator", password = PlatformCalls.UserPassword });
        using var busy = App.Client(await App.TokenAsync(email, PlatformCalls.UserPassword));
        var limit = new Vehicle360Options().PerTokenPerMinute;

        var (allowed, refused, elapsed) = await UntilRefusedAsync(
            () => busy.GetAsync($"{Base}/sessions/{Guid.NewGuid()}"), limit, HttpStatusCode.NotFound);

        AssertAllowance(allowed, limit, elapsed);
        await AssertRateLimitedAsync(refused);
        using var other = App.Client(tenant.AdminToken);
        await (await other.GetAsync($"{Base}/sessions")).Status(HttpStatusCode.OK);
        // The same user with a new token counts afresh: this limit is per token.
        using var sameUserNewToken = App.Client(await App.TokenAsync(email, PlatformCalls.UserPassword));
        await (await sameUserNewToken.GetAsync($"{Base}/sessions")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Presigning_is_limited_per_device_whatever_its_token()
    {
        var tenant = await App.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (_, busyToken) = await tenant.DeviceAsync(site);
        var (_, otherToken) = await tenant.DeviceAsync(site);
        using var busy = App.Client(busyToken);
        var session = (await busy.CreateSessionAsync(site)).Id();
        Task<HttpResponseMessage> Presign(HttpClient client) => client.PostAsJsonAsync($"{Base}/presign",
            new { session_id = session, file_name = "a.jpg", content_type = "image/jpeg", content_sha256 = Sha256("a"u8.ToArray()) });

        var (allowed, refused, elapsed) = await UntilRefusedAsync(() => Presign(busy), LoweredLimitsFixture.Lowered, HttpStatusCode.OK);

        AssertAllowance(allowed, LoweredLimitsFixture.Lowered, elapsed);
        await AssertRateLimitedAsync(refused);
        using var other = App.Client(otherToken);
        await (await Presign(other)).Status(HttpStatusCode.OK);
        // A refreshed token is the same device: still refused.
        using var anon = App.Client(busyToken);
        var refreshed = await (await anon.PostAsJsonAsync($"{Base}/auth/device", DeviceBody(tenant.OrgId))).Status(HttpStatusCode.OK);
        using var busyRefreshed = App.Client(refreshed.GetProperty("access_token").GetString());
        await AssertRateLimitedAsync(await Presign(busyRefreshed));
        // Other endpoints are not this limit's business.
        await (await busy.GetAsync($"{Base}/sessions/{session}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Events_are_limited_per_actor_whatever_its_token()
    {
        var tenant = await App.NewTenantAsync();
        var site = await tenant.SiteAsync();
        using var admin = tenant.Admin();
        var session = (await admin.CreateSessionAsync(site)).Id();
        var email = PlatformCalls.NewEmail();
        await admin.CreateUserAsync(new { email, role = "operator", site_ids = new[] { site }, password = PlatformCalls.UserPassword });
        var (_, otherToken) = await tenant.UserAsync("operator", site);
        using var busy = App.Client(await App.TokenAsync(email, PlatformCalls.UserPassword));
        Task<HttpResponseMessage> Post(HttpClient client) =>
            client.PostAsJsonAsync($"{Base}/events", new { entity_type = "session", entity_id = session, type = "upload_started" });

        var (allowed, refused, elapsed) = await UntilRefusedAsync(() => Post(busy), LoweredLimitsFixture.Lowered, HttpStatusCode.Created);

        AssertAllowance(allowed, LoweredLimitsFixture.Lowered, elapsed);
        await AssertRateLimitedAsync(refused);
        using var other = App.Client(otherToken);
        await (await Post(other)).Status(HttpStatusCode.Created);
        // The same user signed in again is the same actor.
        using var busyAgain = App.Client(await App.TokenAsync(email, PlatformCalls.UserPassword));
        await AssertRateLimitedAsync(await Post(busyAgain));
    }
}
