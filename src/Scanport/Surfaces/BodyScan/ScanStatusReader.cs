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
        // A left join on the frames' primary key: one index lookup, whatever the number of frames.
        var row = await (
                from s in db.Set<Scan>().AsNoTracking()
                where s.Id == scanId && s.OrgId == orgId
                join f in db.Set<Frame>() on new { ScanId = s.Id, Number = s.LatestFrameNumber } equals new { f.ScanId, Number = (int?)f.FrameNumber } into latest
                from f in latest.DefaultIfEmpty()
                select new
                {
                    Scan = s,
                    Latest = f == null ? null : new LatestFrame(f.FrameNumber, f.UserInFrame, f.Confidence, f.StabilityScore, f.Iou, f.IsValid, f.Timestamp),
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
