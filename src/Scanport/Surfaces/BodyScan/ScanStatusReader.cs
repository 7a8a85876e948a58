using Microsoft.EntityFrameworkCore;
using Scanport.Data;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// A scan's status from its stored aggregates and one primary-key lookup of its latest frame: the same cost
/// at any frame count (the document's version was O(n)).
/// </summary>
internal sealed class ScanStatusReader(ScanportDb db)
{
    public async Task<ScanStatusResponse?> ReadAsync(Guid orgId, Guid scanId, CancellationToken ct)
    {
        var row = await db.Scans.AsNoTracking()
            .Where(s => s.Id == scanId && s.OrgId == orgId)
            .Select(s => new
            {
                Scan = s,
                Latest = db.Frames.Where(f => f.ScanId == s.Id && f.FrameNumber == s.LatestFrameNumber)
                    .Select(f => new LatestFrame(f.FrameNumber, f.UserInFrame, f.Confidence, f.StabilityScore, f.Iou, f.IsValid, f.Timestamp))
                    .FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : ToResponse(row.Scan, row.Latest);
    }

    public static ScanStatusResponse ToResponse(Scan s, LatestFrame? latest)
    {
        var n = s.FrameCount;
        double avgConfidence = n == 0 ? 0 : Math.Round(s.ConfidenceSum / n, 4);
        double avgStability = n == 0 ? 0 : Math.Round(s.StabilitySum / n, 4);
        double detectionRate = n == 0 ? 0 : Math.Round(100.0 * s.FramesWithUser / n, 2);
        return new ScanStatusResponse(
            s.Id, s.SessionId, s.Status, s.Status != ScanStatus.Active, n, latest,
            avgConfidence, avgStability, detectionRate,
            new QualityMetrics(n, s.ValidFrames, s.FramesWithUser, avgConfidence, avgStability),
            s.StartedAt, s.CompletedAt);
    }
}
