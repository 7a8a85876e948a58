using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using Scanport.Tests.Surfaces.BodyScan;

namespace Scanport.Tests.Telemetry;

/// <summary>
/// A node with <c>Telemetry:Prometheus:Enabled</c>: requests by surface, frames, queue depth and open streams show up in
/// <c>/metrics</c>, which takes no token.
/// </summary>
public sealed class PrometheusTests : IAsyncLifetime
{
    private ScanportApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Telemetry:Prometheus:Enabled"] = "true" });

    public async Task DisposeAsync() => await ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task A_request_and_a_frame_show_up_in_the_scrape_with_their_surface()
    {
        using var client = _app.Client(await _app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        await (await client.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);
        await (await client.FrameAsync(scanId, 1)).Status(HttpStatusCode.Created);

        var text = await ScrapeUntilAsync(t => Lines(t, "http_server_request_duration_seconds_count").Any(l => l.Contains("scanport_surface=\"bodyscan\"")
            && l.Contains("http_route=\"/api/scan/frames\"") && l.Contains("http_response_status_code=\"201\"")));
        Assert.True(Value(Lines(text, "scanport_bodyscan_frames_total").Single()) >= 2, text);
        // The sign-in went to the platform API: each surface is its own series.
        Assert.Contains(Lines(text, "http_server_request_duration_seconds_count"), l => l.Contains("scanport_surface=\"platform\""));
        // Every queue reports its depth, empty ones as 0.
        Assert.Contains(Lines(text, "scanport_job_queue_depth"), l => l.Contains("scanport_job_queue=\"frames\""));
        Assert.Contains(Lines(text, "scanport_job_queue_depth"), l => l.Contains("scanport_job_queue=\"reconstruction\""));
    }

    [Fact]
    public async Task An_open_status_stream_is_counted_while_it_is_open()
    {
        using var client = _app.Client(await _app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/scan/status/stream?scanId={scanId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
            Assert.True(await events.MoveNextAsync());
            await ScrapeUntilAsync(t => Lines(t, "scanport_active_streams").Any(l => l.Contains("scanport_stream=\"bodyscan.status\"") && Value(l) >= 1));
        }
        // Completing the scan ends every stream of it.
        await (await client.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.OK);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds: a request's duration is recorded just after its answer is sent.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        using var scraper = _app.Client();
        var text = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await scraper.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (done(text)) return text;
            await Task.Delay(100);
        }
        Assert.Fail("the scrape never showed what was expected:\n" + text);
        return text;
    }

    private static IEnumerable<string> Lines(string text, string metric) =>
        text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal));

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
