using Scanport.Http;

namespace Scanport.Surfaces.BodyScan;

/// <summary>The document's validation rules for a frame, producing its field-keyed reasons.</summary>
internal static class FrameValidation
{
    /// <summary>A frame that passed validation, with the document's defaults applied.</summary>
    public sealed record ValidFrame(int FrameNumber, bool UserInFrame, double Confidence, double StabilityScore, double? Iou, bool IsValid)
    {
        public Frame ToFrame(Guid scanId, DateTimeOffset now) => new()
        {
            ScanId = scanId,
            FrameNumber = FrameNumber,
            Id = Guid.CreateVersion7(),
            UserInFrame = UserInFrame,
            Confidence = Confidence,
            StabilityScore = StabilityScore,
            Iou = Iou,
            IsValid = IsValid,
            Timestamp = now,
        };
    }

    public static ValidFrame? Validate(BatchFrame f, Dictionary<string, string[]> errors, string prefix = "")
    {
        var before = errors.Count;
        if (f.FrameNumber is not { } number) Add(errors, prefix + "frameNumber", "is required");
        else if (number is < 0 or > int.MaxValue) Add(errors, prefix + "frameNumber", "must be a non-negative integer (at most 2147483647)");
        if (f.UserInFrame is null) Add(errors, prefix + "userInFrame", "is required (true or false)");
        if (f.Confidence is not { } confidence) Add(errors, prefix + "confidence", "is required");
        else if (!InUnitRange(confidence)) Add(errors, prefix + "confidence", "must be between 0.0 and 1.0");
        if (f.StabilityScore is { } stability && !InUnitRange(stability)) Add(errors, prefix + "stabilityScore", "must be between 0.0 and 1.0");
        if (f.Iou is { } iou && !InUnitRange(iou)) Add(errors, prefix + "iou", "must be between 0.0 and 1.0");
        if (errors.Count > before) return null;
        var userInFrame = f.UserInFrame!.Value;
        return new ValidFrame((int)f.FrameNumber!.Value, userInFrame, f.Confidence!.Value, f.StabilityScore ?? 0.0, f.Iou,
            f.IsValid ?? (userInFrame && f.Confidence.Value > 0.5));
    }

    /// <summary>The scan id of a request: missing is a validation error; text that cannot be an id is an unknown scan.</summary>
    public static ApiError? ParseScanId(string? scanId, out Guid id)
    {
        id = Guid.Empty;
        if (string.IsNullOrWhiteSpace(scanId)) return ApiError.Field("scanId", "is required");
        return Guid.TryParse(scanId, out id) ? null : BodyScanErrors.NotFound;
    }

    private static bool InUnitRange(double value) => double.IsFinite(value) && value is >= 0.0 and <= 1.0;

    private static void Add(Dictionary<string, string[]> errors, string field, string reason) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, reason] : [reason];
}
