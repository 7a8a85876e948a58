using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.BodyScan;

[Collection(AppCollection.Name)]
public sealed class LiveStatusTests(ScanportApp app)
{
    [Fact]
    public async Task Subscribers_receive_the_status_after_each_change_until_completion()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/scan/status/stream?scanId={scanId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        var first = await NextStatus(events);
        Assert.Equal(0, first.GetProperty("frameCount").GetInt32());

        await (await client.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);
        var afterFrame = await NextStatus(events);
        Assert.Equal(1, afterFrame.GetProperty("frameCount").GetInt32());

        await (await client.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.OK);
        var last = await NextStatus(events);
        Assert.Equal("completed", last.GetProperty("status").GetString());
        Assert.False(await events.MoveNextAsync(), "the stream ends once the scan is completed");
    }

    [Fact]
    public async Task A_stream_for_an_unknown_scan_is_404()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        await (await client.GetAsync($"/api/scan/status/stream?scanId={Guid.NewGuid()}")).Status(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> NextStatus(IAsyncEnumerator<SseItem<string>> events)
    {
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("status", events.Current.EventType);
        return JsonDocument.Parse(events.Current.Data).RootElement.Clone();
    }
}
