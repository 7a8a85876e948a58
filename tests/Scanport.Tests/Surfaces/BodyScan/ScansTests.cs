using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.BodyScan;

[Collection(AppCollection.Name)]
public sealed class ScansTests(ScanportApp app)
{
    [Fact]
    public async Task Init_creates_an_active_scan_with_the_documents_fields()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var response = await client.PostJsonAsync("/api/scan/init", new { sessionId = "user-session-123" });
        var body = await response.Status(HttpStatusCode.Created);

        Assert.True(Guid.TryParse(body.GetProperty("scanId").GetString(), out _));
        Assert.Equal("user-session-123", body.GetProperty("sessionId").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body.GetProperty("startedAt").GetString());
        Assert.Equal("Scan initialized successfully", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"sessionId": ""}""")]
    [InlineData("""{"sessionId": "   "}""")]
    [InlineData("""{"sessionId": 42}""")]
    [InlineData("""{"sessionId": null}""")]
    public async Task Init_without_a_valid_sessionId_is_400(string json)
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var body = await (await client.PostRawAsync("/api/scan/init", json)).Status(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("details").TryGetProperty("sessionId", out _));
    }

    [Fact]
    public async Task Status_aggregates_frames_as_the_document_describes()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync("session-agg");
        await client.FrameAsync(scanId, 0, userInFrame: true, confidence: 0.9, stabilityScore: 0.8, iou: 0.9);
        await client.FrameAsync(scanId, 1, userInFrame: true, confidence: 0.7, stabilityScore: 0.6, iou: 0.8);
        await client.FrameAsync(scanId, 2, userInFrame: false, confidence: 0.2, stabilityScore: 0.4, iou: null);
        await client.FrameAsync(scanId, 3, userInFrame: true, confidence: 0.4, stabilityScore: 0.2, iou: 0.7);

        var status = await client.StatusAsync(scanId);

        Assert.Equal(scanId, status.GetProperty("scanId").GetString());
        Assert.Equal("session-agg", status.GetProperty("sessionId").GetString());
        Assert.Equal("active", status.GetProperty("status").GetString());
        Assert.False(status.GetProperty("isLocked").GetBoolean());
        Assert.Equal(4, status.GetProperty("frameCount").GetInt32());
        Assert.Equal(0.55, status.GetProperty("averageConfidence").GetDouble(), 6);
        Assert.Equal(0.5, status.GetProperty("averageStabilityScore").GetDouble(), 6);
        Assert.Equal(75.0, status.GetProperty("userDetectionRate").GetDouble());
        var latest = status.GetProperty("latestFrame");
        Assert.Equal(3, latest.GetProperty("frameNumber").GetInt32());
        Assert.Equal(0.4, latest.GetProperty("confidence").GetDouble());
        Assert.False(latest.GetProperty("isValid").GetBoolean());
        Assert.Matches(@"Z$", latest.GetProperty("timestamp").GetString());
        var metrics = status.GetProperty("qualityMetrics");
        Assert.Equal(4, metrics.GetProperty("totalFrames").GetInt32());
        Assert.Equal(2, metrics.GetProperty("validFrames").GetInt32());
        Assert.Equal(3, metrics.GetProperty("framesWithUser").GetInt32());
        Assert.Equal(0.55, metrics.GetProperty("avgConfidence").GetDouble(), 6);
        Assert.Equal(0.5, metrics.GetProperty("avgStability").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("completedAt").ValueKind);
    }

    [Fact]
    public async Task Status_of_a_scan_without_frames_has_zeroes_and_no_latest_frame()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var status = await client.StatusAsync(await client.InitAsync());
        Assert.Equal(0, status.GetProperty("frameCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("latestFrame").ValueKind);
        Assert.Equal(0, status.GetProperty("userDetectionRate").GetDouble());
    }

    [Fact]
    public async Task Status_checks_the_optional_sessionId_and_requires_scanId()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync("session-a");
        await (await client.GetAsync($"/api/scan/status?scanId={scanId}&sessionId=session-a")).Status(HttpStatusCode.OK);
        var mismatch = await (await client.GetAsync($"/api/scan/status?scanId={scanId}&sessionId=session-b")).Status(HttpStatusCode.NotFound);
        Assert.True(mismatch.GetProperty("details").TryGetProperty("sessionId", out _));
        var missing = await (await client.GetAsync("/api/scan/status")).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["is required"], missing.GetProperty("details").Reasons("scanId"));
        await (await client.GetAsync($"/api/scan/status?scanId={Guid.NewGuid()}")).Status(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_scan_moves_from_active_to_locked_to_completed_and_then_refuses_frames()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        await (await client.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);

        var locked = await (await client.PostJsonAsync("/api/scan/lock", new { scanId })).Status(HttpStatusCode.OK);
        Assert.Equal("locked", locked.GetProperty("status").GetString());
        Assert.True(locked.GetProperty("isLocked").GetBoolean());
        await (await client.PostJsonAsync("/api/scan/lock", new { scanId })).Status(HttpStatusCode.OK);

        var refused = await (await client.FrameAsync(scanId, 1)).Status(HttpStatusCode.Conflict);
        Assert.Contains("locked", refused.GetProperty("error").GetString());
        await (await client.PostJsonAsync("/api/scan/frames/batch",
            new { scanId, frames = new[] { new { frameNumber = 2, userInFrame = true, confidence = 0.9 } } })).Status(HttpStatusCode.Conflict);

        var completed = await (await client.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.OK);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Matches(@"Z$", completed.GetProperty("completedAt").GetString());
        await (await client.FrameAsync(scanId, 1)).Status(HttpStatusCode.Conflict);
        await (await client.PostJsonAsync("/api/scan/lock", new { scanId })).Status(HttpStatusCode.Conflict);

        var status = await client.StatusAsync(scanId);
        Assert.Equal(1, status.GetProperty("frameCount").GetInt32());
        Assert.Equal("completed", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_active_scan_can_be_completed_directly()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        var completed = await (await client.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.OK);
        Assert.True(completed.GetProperty("isLocked").GetBoolean());
        await (await client.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.OK);
    }
}
