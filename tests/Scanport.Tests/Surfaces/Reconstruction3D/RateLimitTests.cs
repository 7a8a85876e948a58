using System.Net;
using Scanport.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>The document's limits (10 requests a second, 2 reconstruction starts a second) on an app of their own, at their defaults.</summary>
public sealed class DefaultLimitsApp : IAsyncLifetime
{
    public ScanportApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await ScanportApp.StartAsync(new Dictionary<string, string>
    {
        ["Surfaces:Reconstruction3D:RequestsPerSecond"] = "10",
        ["Surfaces:Reconstruction3D:ReconstructionStartsPerSecond"] = "2",
    });

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

public sealed class RateLimitTests(DefaultLimitsApp fixture) : IClassFixture<DefaultLimitsApp>
{
    [Fact]
    public void The_default_limits_are_the_documents()
    {
        var options = new Reconstruction3DOptions();
        Assert.Equal((10, 2), (options.RequestsPerSecond, options.ReconstructionStartsPerSecond));
        Assert.Equal(500L * 1024 * 1024, options.MaxUploadBytes);
    }

    [Fact]
    public async Task A_burst_past_ten_a_second_is_429_in_fastapis_shape_and_the_next_second_is_served_again()
    {
        var (_, client) = await fixture.App.UserAsync();
        using var _1 = client;
        await Task.Delay(1100); // the bucket refills after sign-up
        var responses = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => client.GetAsync($"{ReconCalls.Base}/projects")));
        var allowed = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(allowed, 10, 12); // a refill may land mid-burst
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(await refused.DetailAsync(HttpStatusCode.TooManyRequests));
        Assert.True(refused.Headers.RetryAfter is not null);
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{ReconCalls.Base}/projects")).StatusCode);
    }

    [Fact]
    public async Task Reconstruction_starts_are_held_to_two_a_second()
    {
        var (_, client) = await fixture.App.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        await Task.Delay(1100);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsync($"{ReconCalls.Base}/projects/{id}/start-reconstruction?quality=low", null)));
        // Served ones are refused for having no frames (400); the rest never reach the handler.
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest), 2, 3);
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), 3, 4);
    }
}
