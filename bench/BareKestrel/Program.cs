// The floor under Scanport's body-scan endpoints: the same request and response JSON, no authentication,
// no rate limiting, no database. POST /frames binds the frame body and answers 201; GET /status answers a
// status document of about the size Scanport's has.

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapPost("/frames", (FrameRequest frame) =>
{
    var frameNumber = (int)(frame.FrameNumber ?? 0);
    var response = new FrameResponse(Guid.CreateVersion7(), Guid.TryParse(frame.ScanId, out var scanId) ? scanId : Guid.Empty,
        frameNumber, frame.UserInFrame ?? false, $"Frame {frameNumber} recorded successfully");
    return TypedResults.Created((string?)null, response);
});

var startedAt = TimeProvider.System.GetUtcNow();
app.MapGet("/status", (string? scanId) =>
{
    var id = Guid.TryParse(scanId, out var parsed) ? parsed : Guid.Empty;
    var latest = new LatestFrame(100, true, 0.9, 0.8, 0.7, true, startedAt);
    return TypedResults.Ok(new StatusResponse(id, "bench", "active", false, 100, latest, 0.9, 0.8, 100,
        new QualityMetrics(100, 100, 100, 0.9, 0.8), startedAt, null));
});

app.Run();

internal sealed record FrameRequest(
    string? ScanId, long? FrameNumber, bool? UserInFrame, double? Confidence, double? StabilityScore, double? Iou, bool? IsValid);

internal sealed record FrameResponse(Guid FrameId, Guid ScanId, int FrameNumber, bool UserInFrame, string Message);

internal sealed record LatestFrame(int FrameNumber, bool UserInFrame, double Confidence, double StabilityScore, double? Iou, bool IsValid, DateTimeOffset Timestamp);

internal sealed record QualityMetrics(long TotalFrames, long ValidFrames, long FramesWithUser, double AvgConfidence, double AvgStability);

internal sealed record StatusResponse(
    Guid ScanId, string SessionId, string Status, bool IsLocked, long FrameCount, LatestFrame? LatestFrame,
    double AverageConfidence, double AverageStabilityScore, double UserDetectionRate, QualityMetrics QualityMetrics,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);
