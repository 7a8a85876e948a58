using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>A callback as the receiver got it: the exact body bytes and the headers.</summary>
public sealed record Received(string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A real HTTP receiver of callbacks on 127.0.0.1 (Kestrel, in the test process): it records every request and answers 200,
/// or a status of the test's choosing for the first calls to a path.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, (int Times, int Status)> _failures = new();

    public ConcurrentQueue<Received> Received { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var path = context.Request.Path.Value!;
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            Received.Enqueue(new Received(path, buffer.ToArray(), headers));
            var call = _calls.AddOrUpdate(path, 1, (_, n) => n + 1);
            return _failures.TryGetValue(path, out var failure) && call <= failure.Times ? Results.StatusCode(failure.Status) : Results.Ok();
        });
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>A fresh callback URL on this receiver.</summary>
    public string NewUrl() => new Uri(BaseAddress, $"/callback/{Guid.NewGuid():N}").ToString();

    /// <summary>The first <paramref name="times"/> calls to the URL's path answer <paramref name="status"/>.</summary>
    public void Fail(string url, int times, int status = 500) => _failures[new Uri(url).AbsolutePath] = (times, status);

    public IReadOnlyList<Received> To(string url) => [.. Received.Where(r => r.Path == new Uri(url).AbsolutePath)];

    /// <summary>Waits until <paramref name="count"/> calls reached the URL.</summary>
    public async Task<IReadOnlyList<Received>> WaitAsync(string url, int count = 1, int seconds = 30)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (To(url).Count < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(seconds), $"{To(url).Count} of {count} callbacks reached {url} in {seconds} s");
            await Task.Delay(50);
        }
        return To(url);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
