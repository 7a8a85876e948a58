using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.BodyScan;

/// <summary>The document's calls, for arranging tests through the public API.</summary>
internal static class BodyScanClient
{
    public static async Task<string> InitAsync(this HttpClient client, string sessionId = "session-1")
    {
        var body = await (await client.PostJsonAsync("/api/scan/init", new { sessionId })).Status(HttpStatusCode.Created);
        return body.GetProperty("scanId").GetString()!;
    }

    public static Task<HttpResponseMessage> FrameAsync(this HttpClient client, string scanId, int frameNumber,
        bool userInFrame = true, double confidence = 0.9, double? stabilityScore = 0.8, double? iou = 0.85) =>
        client.PostJsonAsync("/api/scan/frames", new { scanId, frameNumber, userInFrame, confidence, stabilityScore, iou });

    public static async Task<JsonElement> StatusAsync(this HttpClient client, string scanId) =>
        await (await client.GetAsync($"/api/scan/status?scanId={scanId}")).Status(HttpStatusCode.OK);
}
