namespace Scanport.Surfaces.BodyScan;

// JSON names are the document's: camelCase, as the web defaults write them.

/// <summary>The document's <c>sessionId</c>; ours: the platform project (UUID) or site the scan belongs to, both optional.</summary>
public sealed record InitRequest(string? SessionId, Guid? ProjectId = null, Guid? SiteId = null);

public sealed record InitResponse(Guid ScanId, string SessionId, DateTimeOffset StartedAt, string Message, Guid? ProjectId, Guid? SiteId);

public sealed record FrameRequest(
    string? ScanId, long? FrameNumber, bool? UserInFrame, double? Confidence, double? StabilityScore, double? Iou, bool? IsValid);

public sealed record FrameResponse(Guid FrameId, Guid ScanId, int FrameNumber, bool UserInFrame, string Message);

/// <summary>Our addition: many frames of one scan in one all-or-nothing request.</summary>
public sealed record FrameBatchRequest(string? ScanId, IReadOnlyList<BatchFrame?>? Frames);

public sealed record BatchFrame(long? FrameNumber, bool? UserInFrame, double? Confidence, double? StabilityScore, double? Iou, bool? IsValid);

public sealed record FrameBatchResponse(Guid ScanId, int Recorded, int Duplicates, IReadOnlyList<FrameResponse> Frames);

public sealed record ScanRequest(string? ScanId);

public sealed record LatestFrame(int FrameNumber, bool UserInFrame, double Confidence, double StabilityScore, double? Iou, bool IsValid, DateTimeOffset Timestamp);

public sealed record QualityMetrics(long TotalFrames, long ValidFrames, long FramesWithUser, double AvgConfidence, double AvgStability);

public sealed record ScanStatusResponse(
    Guid ScanId, string SessionId, string Status, bool IsLocked, long FrameCount, LatestFrame? LatestFrame,
    double AverageConfidence, double AverageStabilityScore, double UserDetectionRate, QualityMetrics QualityMetrics,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

public sealed record FrameRecord(
    Guid FrameId, Guid ScanId, int FrameNumber, bool UserInFrame, double Confidence, double StabilityScore, double? Iou, bool IsValid, DateTimeOffset Timestamp);

/// <summary>Our addition: frames in frame-number order, a page at a time; pass <c>nextAfter</c> back as <c>after</c>.</summary>
public sealed record FramePage(Guid ScanId, IReadOnlyList<FrameRecord> Frames, int? NextAfter);

/// <summary>Our addition: one scan in a listing, with its running figures.</summary>
public sealed record ScanSummary(
    Guid ScanId, string SessionId, string Status, Guid? ProjectId, Guid? SiteId, long FrameCount, long ValidFrames,
    double AverageConfidence, double AverageStabilityScore, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

public sealed record ScanListResponse(IReadOnlyList<ScanSummary> Scans, int Total, int Limit, int Offset);

/// <summary>The document's error shape, plus the request id that is also in <c>X-Request-Id</c>.</summary>
public sealed record BodyScanError(string Error, IReadOnlyDictionary<string, string[]> Details, string RequestId);
