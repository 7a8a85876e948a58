using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Projects;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// The document's rate limits, on servers of their own with small ones: every answer tells <c>X-RateLimit-*</c>, a user over
/// theirs is 429 <c>RATE_LIMIT_EXCEEDED</c> with <c>Retry-After</c>, and the address's limit holds for all its users.
/// </summary>
public sealed class RateLimitTests
{
    private sealed record Limits(int Limit, int Remaining, long Reset);

    private static Limits Of(HttpResponseMessage response)
    {
        static string One(HttpResponseMessage r, string name) =>
            Assert.Single(r.Headers.TryGetValues(name, out var values) ? values : throw new Xunit.Sdk.XunitException($"no {name} on {(int)r.StatusCode}"));
        return new Limits(int.Parse(One(response, "X-RateLimit-Limit"), CultureInfo.InvariantCulture),
            int.Parse(One(response, "X-RateLimit-Remaining"), CultureInfo.InvariantCulture),
            long.Parse(One(response, "X-RateLimit-Reset"), CultureInfo.InvariantCulture));
    }

    /// <summary>The counting windows are whole minutes: a sequence starts early in one, so it is counted in one.</summary>
    private static async Task StartOfAWindowAsync()
    {
        var second = TimeProvider.System.GetUtcNow().Second;
        if (second > 35) await Task.Delay(TimeSpan.FromSeconds(61 - second));
    }

    [Fact]
    public async Task Every_answer_tells_the_limits_a_user_over_theirs_is_429_and_the_address_limit_holds_for_everyone()
    {
        var app = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Surfaces:Aps:RequestsPerMinutePerUser"] = "5",
            ["Surfaces:Aps:RequestsPerMinutePerAddress"] = "8",
        });
        try
        {
            // Signed in on the platform API, which these limits do not count.
            using var first = (await app.NewTenantAsync()).Admin();
            using var second = (await app.NewTenantAsync()).Admin();
            using var anonymous = app.Client();
            await StartOfAWindowAsync();

            // 1 (address 1): unauthenticated, counted by address.
            var refused = await anonymous.GetAsync($"{Base}/projects");
            await refused.ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
            var start = Of(refused);
            Assert.Equal(new Limits(8, 7, start.Reset), start);
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            Assert.InRange(start.Reset, now + 1, now + 60);
            Assert.Equal(0, start.Reset % 60);

            // 2–6 (address 2–6): the user's five, a 404 among them; the user's limit is the nearer.
            var answers = new[]
            {
                await first.GetAsync($"{Base}/projects"),
                await first.GetAsync($"{Base}/projects/987654321"),
                await first.PostAsJsonAsync($"{Base}/projects", new { name = "" }),
                await first.GetAsync($"{Base}/aps/buckets"),
                await first.GetAsync($"{Base}/files"),
            };
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity, HttpStatusCode.OK, HttpStatusCode.OK],
                answers.Select(a => a.StatusCode));
            Assert.Equal([4, 3, 2, 1, 0], answers.Select(a => Of(a).Remaining));
            Assert.All(answers, a => Assert.Equal(new Limits(5, Of(a).Remaining, start.Reset), Of(a)));

            // 7 (address 7): the user's sixth.
            var sixth = await first.GetAsync($"{Base}/projects");
            var body = await sixth.ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
            Assert.Equal($"{Base}/projects", body.Text("path"));
            Assert.Equal(new Limits(5, 0, start.Reset), Of(sixth));
            var retryAfter = sixth.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            // A refused write stores nothing.
            await (await first.PostAsJsonAsync($"{Base}/projects", new { name = "Bloqueado" })).ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");

            // 9 (address 9 > 8): another user of the same address is held by the address's limit.
            var other = await second.GetAsync($"{Base}/projects");
            await other.ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
            Assert.Equal(new Limits(8, 0, start.Reset), Of(other));
            Assert.NotNull(other.Headers.RetryAfter);

            // Nothing refused was stored.
            using var scope = app.Services.CreateScope();
            Assert.False(await scope.ServiceProvider.GetRequiredService<ScanportDb>().Projects.AnyAsync(p => p.Name == "Bloqueado"));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task Another_user_passes_while_the_address_has_room()
    {
        var app = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Surfaces:Aps:RequestsPerMinutePerUser"] = "5",
            ["Surfaces:Aps:RequestsPerMinutePerAddress"] = "8",
        });
        try
        {
            using var first = (await app.NewTenantAsync()).Admin();
            using var second = (await app.NewTenantAsync()).Admin();
            await StartOfAWindowAsync();

            for (var i = 0; i < 5; i++) await (await first.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
            await (await first.GetAsync($"{Base}/projects")).ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");

            // Address 7 and 8 of 8: the second user passes, told the address's remaining.
            var seventh = await second.GetAsync($"{Base}/projects");
            await seventh.Status(HttpStatusCode.OK);
            Assert.Equal((8, 1), (Of(seventh).Limit, Of(seventh).Remaining));
            var eighth = await second.PostAsJsonAsync($"{Base}/projects", new { name = "Permitido" });
            await eighth.Status(HttpStatusCode.Created);
            Assert.Equal((8, 0), (Of(eighth).Limit, Of(eighth).Remaining));
            await (await second.GetAsync($"{Base}/projects")).ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task Registrations_over_the_hourly_limit_are_429_and_store_no_account()
    {
        var app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Surfaces:Aps:RegistrationsPerHour"] = "2" });
        try
        {
            using var anonymous = app.Client();
            var emails = Enumerable.Range(0, 3).Select(i => $"reg{i}-{Guid.NewGuid():N}@apsi.test").ToArray();
            foreach (var email in emails[..2])
                await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email, password = Password })).Status(HttpStatusCode.Created);

            await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email = emails[2], password = Password }))
                .ErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");

            await (await anonymous.PostAsJsonAsync($"{Base}/auth/login", new { username = emails[2], password = Password }))
                .ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
            await (await anonymous.PostAsJsonAsync($"{Base}/auth/login", new { username = emails[0], password = Password })).Status(HttpStatusCode.OK);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
