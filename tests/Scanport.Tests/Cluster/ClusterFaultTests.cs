using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Scanport.Tests.Surfaces.BodyScan;

namespace Scanport.Tests.Cluster;

/// <summary>
/// The production cluster under faults, as processes (ops/cluster/cluster.sh): frames posted through the balancer by 16
/// clients while an API node is SIGKILLed, PostgreSQL restarted under load, and an API key revoked on one node refused by
/// every node. PostgreSQL pass only (./test), like every Cluster test.
/// </summary>
[Trait("Category", "Cluster")]
public sealed partial class ClusterFaultTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    /// <summary>How long the clients post frames (the issue's 60 s; SCANPORT_CLUSTER_SECONDS shortens it by hand).</summary>
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("SCANPORT_CLUSTER_SECONDS"), out var s) ? s : 60);

    [Fact]
    public async Task Frames_from_16_clients_survive_an_api_node_killed_halfway_and_every_acknowledged_frame_is_stored_once()
    {
        var token = await cluster.AdminTokenAsync();
        using var balancer = cluster.Client(token);
        using var onApi1 = cluster.Client(token, cluster.Node("api-1"));
        using var onApi2 = cluster.Client(token, cluster.Node("api-2"));

        // A status stream on api-2 follows frames posted straight to api-1.
        var watched = await onApi1.InitAsync($"watched-{Guid.NewGuid():N}");
        using var streamTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/scan/status/stream?scanId={watched}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stream = await onApi2.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, streamTimeout.Token);
        await using var events = SseParser.Create(await stream.Content.ReadAsStreamAsync(streamTimeout.Token))
            .EnumerateAsync(streamTimeout.Token).GetAsyncEnumerator(streamTimeout.Token);
        for (var frame = 0; frame < 5; frame++) await (await onApi1.FrameAsync(watched, frame)).Status(HttpStatusCode.Created);
        Assert.Equal(5, await FrameCountSeenAsync(events, 5));

        // 16 clients, a scan each, posting through the balancer; api-1 dies halfway.
        var scans = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => balancer.InitAsync($"load-{i}-{Guid.NewGuid():N}")));
        var acknowledged = scans.ToDictionary(s => s, _ => new ConcurrentBag<int>());
        var refusals = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(Load);
        var clients = scans.Select(scan => PostUntilStoppedAsync(token, scan, acknowledged[scan], refusals, stop.Token)).ToList();
        try
        {
            await Task.Delay(Load / 2);
            await cluster.KillAsync("api-1");
            await Task.WhenAll(clients);
            Assert.All(refusals, r => Assert.DoesNotContain(" 500", r, StringComparison.Ordinal));
            Assert.True(acknowledged.Values.Sum(a => a.Count) > 16 * 10, "the clients got few frames through");
            foreach (var scan in scans)
            {
                var stored = await AllFramesAsync(onApi2, scan);
                var numbers = stored.Select(f => f.GetProperty("frameNumber").GetInt32()).ToList();
                // Stored once each (a retry after a lost answer is answered 200 and stores nothing), and exactly what was acknowledged.
                Assert.Equal(numbers.Count, numbers.Distinct().Count());
                Assert.Equal(acknowledged[scan].Order(), numbers.Order());
                var status = await onApi2.StatusAsync(scan);
                Assert.Equal(numbers.Count, status.GetProperty("frameCount").GetInt32());
                var metrics = status.GetProperty("qualityMetrics");
                Assert.Equal(numbers.Count, metrics.GetProperty("totalFrames").GetInt32());
                Assert.Equal(stored.Count(f => f.GetProperty("isValid").GetBoolean()), metrics.GetProperty("validFrames").GetInt32());
                // The document's averages have four decimals.
                Assert.Equal(Math.Round(stored.Average(f => f.GetProperty("confidence").GetDouble()), 4), status.GetProperty("averageConfidence").GetDouble());
            }
        }
        finally
        {
            await cluster.RestartAsync("api-1");
        }
    }

    [Fact]
    public async Task PostgreSQL_restarted_under_load_makes_the_nodes_unready_until_they_recover_by_themselves_and_loses_nothing_acknowledged()
    {
        var token = await cluster.AdminTokenAsync();
        using var balancer = cluster.Client(token);
        var scans = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => balancer.InitAsync($"outage-{i}-{Guid.NewGuid():N}")));
        var acknowledged = scans.ToDictionary(s => s, _ => new ConcurrentBag<int>());
        var refusals = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var clients = scans.Select(scan => PostUntilStoppedAsync(token, scan, acknowledged[scan], refusals, stop.Token)).ToList();
        var nodes = new[] { "api-1", "api-2", "worker-1", "worker-2" };
        var unready = nodes.ToDictionary(n => n, _ => 0);
        using var watching = new CancellationTokenSource();
        var watchers = nodes.Select(n => WatchReadinessAsync(n, unready, watching.Token)).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.RestartDatabaseAsync(downSeconds: 3);
        // Every node ready again without being restarted, and frames flowing again.
        foreach (var node in nodes) await WaitForReadinessAsync(node);
        var before = acknowledged.Values.Sum(a => a.Count);
        for (var i = 0; i < 100 && acknowledged.Values.Sum(a => a.Count) < before + 20; i++) await Task.Delay(100);
        await stop.CancelAsync();
        await watching.CancelAsync();
        await Task.WhenAll(clients.Concat(watchers));

        Assert.All(nodes, n => Assert.True(unready[n] > 0, $"{n} never said it was not ready while the database was down"));
        Assert.True(acknowledged.Values.Sum(a => a.Count) >= before + 20, "frames did not flow again after the restart");
        Assert.NotEmpty(refusals); // the outage was seen by the clients...
        Assert.All(refusals, r => Assert.DoesNotContain(" 500", r, StringComparison.Ordinal)); // ...as 503s, never a 500
        using var onApi2 = cluster.Client(token, cluster.Node("api-2"));
        foreach (var scan in scans)
        {
            var numbers = (await AllFramesAsync(onApi2, scan)).Select(f => f.GetProperty("frameNumber").GetInt32()).ToList();
            Assert.Equal(acknowledged[scan].Order(), numbers.Order());
        }
    }

    private async Task WatchReadinessAsync(string node, Dictionary<string, int> unready, CancellationToken stop)
    {
        using var client = cluster.Client(at: cluster.Node(node));
        client.Timeout = TimeSpan.FromSeconds(2);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var ready = await client.GetAsync("/readyz", CancellationToken.None);
                if (ready.StatusCode != HttpStatusCode.OK) lock (unready) unready[node]++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lock (unready) unready[node]++;
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private async Task WaitForReadinessAsync(string node)
    {
        using var client = cluster.Client(at: cluster.Node(node));
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var ready = await client.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail($"{node} was not ready again 60 s after PostgreSQL came back:\n{cluster.LogTail(node)}");
    }

    [Fact]
    public async Task A_revoked_api_key_is_refused_by_every_api_node_within_two_seconds()
    {
        var token = await cluster.AdminTokenAsync();
        using var balancer = cluster.Client(token);
        var key = await (await balancer.PostAsync("/platform/v1/api-keys", JsonContent("""{"name":"revoked on every node","role":"operator"}""")))
            .Status(HttpStatusCode.Created);
        var secret = key.GetProperty("secret").GetString()!;
        var nodes = new[] { "api-1", "api-2" }.Select(n => cluster.Client(secret, cluster.Node(n))).ToList();
        try
        {
            // Both nodes know the key as valid first (each holds the answer for up to 10 s without the news).
            foreach (var node in nodes) await (await node.GetAsync("/platform/v1/me")).Status(HttpStatusCode.OK);

            (await balancer.DeleteAsync($"/platform/v1/api-keys/{key.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
            var revoked = DateTimeOffset.UtcNow;

            foreach (var node in nodes)
            {
                while ((await node.GetAsync("/platform/v1/me")).StatusCode != HttpStatusCode.Unauthorized)
                {
                    Assert.True(DateTimeOffset.UtcNow - revoked < TimeSpan.FromSeconds(2), $"{node.BaseAddress} still accepts the key after 2 s");
                    await Task.Delay(50);
                }
            }
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    /// <summary>Posts frames 0, 1, 2... until stopped; a frame not acknowledged (a node gone, a 502) is sent again.</summary>
    private async Task PostUntilStoppedAsync(string token, string scan, ConcurrentBag<int> acknowledged, ConcurrentBag<string> refusals, CancellationToken stop)
    {
        using var client = cluster.Client(token);
        var frame = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.FrameAsync(scan, frame, confidence: frame % 3 == 0 ? 0.2 : 0.9);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    acknowledged.Add(frame++);
                    continue;
                }
                refusals.Add($"frame {frame}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            }
            catch (HttpRequestException e)
            {
                refusals.Add($"frame {frame}: {e.Message}");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static async Task<List<JsonElement>> AllFramesAsync(HttpClient client, string scan)
    {
        var frames = new List<JsonElement>();
        for (var after = -1; ;)
        {
            var page = await (await client.GetAsync($"/api/scan/frames?scanId={scan}&after={after}&limit=1000")).Status(HttpStatusCode.OK);
            frames.AddRange(page.GetProperty("frames").EnumerateArray());
            if (page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null) return frames;
            after = page.GetProperty("nextAfter").GetInt32();
        }
    }

    private static async Task<int> FrameCountSeenAsync(IAsyncEnumerator<SseItem<string>> events, int frames)
    {
        while (await events.MoveNextAsync())
        {
            var count = JsonDocument.Parse(events.Current.Data).RootElement.GetProperty("frameCount").GetInt32();
            if (count >= frames) return count;
        }
        throw new InvalidOperationException("the stream ended");
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
