using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Events;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// Records frames and the scan's running aggregates in one transaction. The scan row is updated first, which
/// takes its row lock: frames of one scan are recorded one transaction at a time, so the duplicate check that
/// follows cannot race, and a concurrent lock or completion either waits for this transaction or refuses it.
/// </summary>
internal sealed class FrameRecorder(ScanportDb db, TimeProvider clock, IEventBus events, SqliteWriteGate gate)
{
    /// <summary>A frame as stored, and whether this request recorded it (false: it was already there).</summary>
    public sealed record Outcome(Frame Frame, bool IsNew);

    public async Task<(IReadOnlyList<Outcome>? Frames, ApiError? Error)> RecordAsync(
        Caller caller, Guid scanId, IReadOnlyList<FrameValidation.ValidFrame> frames, CancellationToken ct)
    {
        // Assume no duplicates (the common case); if some turn up, start again knowing them, so the
        // aggregates are always added exactly, never added and then subtracted.
        var known = new HashSet<int>();
        // One statement at a time inside our own transaction: no savepoint round trip before the insert.
        db.Database.AutoSavepointsEnabled = false;
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            using var writer = await gate.EnterAsync(db, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var fresh = frames.Where(f => !known.Contains(f.FrameNumber)).DistinctBy(f => f.FrameNumber).ToList();
            var now = clock.GetUtcNow();
            var last = fresh.Count > 0 ? fresh[^1].FrameNumber : (int?)null;
            int count = fresh.Count, valid = fresh.Count(f => f.IsValid), withUser = fresh.Count(f => f.UserInFrame);
            double confidence = fresh.Sum(f => f.Confidence), stability = fresh.Sum(f => f.StabilityScore);
            var updated = await db.Scans
                .Where(s => s.Id == scanId && s.OrgId == caller.OrgId && s.Status == ScanStatus.Active)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.FrameCount, s => s.FrameCount + count)
                    .SetProperty(s => s.ValidFrames, s => s.ValidFrames + valid)
                    .SetProperty(s => s.FramesWithUser, s => s.FramesWithUser + withUser)
                    .SetProperty(s => s.ConfidenceSum, s => s.ConfidenceSum + confidence)
                    .SetProperty(s => s.StabilitySum, s => s.StabilitySum + stability)
                    .SetProperty(s => s.LatestFrameNumber, s => last ?? s.LatestFrameNumber), ct);
            if (updated == 0)
                return (null, await WhyNotActiveAsync(caller, scanId, ct));

            var numbers = frames.Select(f => f.FrameNumber).Distinct().ToList();
            var existing = await db.Frames.AsNoTracking()
                .Where(f => f.ScanId == scanId && numbers.Contains(f.FrameNumber)).ToListAsync(ct);
            if (!existing.Select(f => f.FrameNumber).ToHashSet().SetEquals(known))
            {
                await tx.RollbackAsync(ct);
                if (attempt == 3) return (null, ApiError.Conflict("Frames of this scan are being changed concurrently; retry"));
                known = existing.Select(f => f.FrameNumber).ToHashSet();
                continue;
            }

            var added = fresh.Select(f => new Frame
            {
                ScanId = scanId,
                FrameNumber = f.FrameNumber,
                Id = Guid.CreateVersion7(),
                UserInFrame = f.UserInFrame,
                Confidence = f.Confidence,
                StabilityScore = f.StabilityScore,
                Iou = f.Iou,
                IsValid = f.IsValid,
                Timestamp = now,
            }).ToList();
            db.Frames.AddRange(added);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);

            if (added.Count > 0) events.Publish(ScanEvents.Updated(scanId));
            var byNumber = existing.ToDictionary(f => f.FrameNumber, f => new Outcome(f, false));
            foreach (var f in added) byNumber[f.FrameNumber] = new Outcome(f, true);
            return (frames.Select(f => byNumber[f.FrameNumber]).DistinctBy(o => o.Frame.FrameNumber).ToList(), null);
        }
    }

    private async Task<ApiError> WhyNotActiveAsync(Caller caller, Guid scanId, CancellationToken ct)
    {
        var status = await db.Scans.Where(s => s.Id == scanId && s.OrgId == caller.OrgId).Select(s => s.Status).FirstOrDefaultAsync(ct);
        return status is null ? ScanErrors.NotFound : ScanErrors.NotActive(status);
    }
}

internal static class ScanEvents
{
    public static string Topic(Guid scanId) => $"scan:{scanId}";

    public static DomainEvent Updated(Guid scanId) => new(Topic(scanId), "scan.updated", $$"""{"scanId":"{{scanId}}"}""");
}
