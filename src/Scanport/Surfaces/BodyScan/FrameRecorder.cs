using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Events;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// Records frames and the scan's running aggregates in one transaction. The scan row is updated first, which
/// takes its row lock, so frames of one scan are recorded one transaction at a time and a concurrent lock or
/// completion either waits for this transaction or refuses it. Each frame is inserted with
/// <c>ON CONFLICT DO NOTHING</c>: a frame number already stored inserts nothing, which is how a duplicate is
/// found without a separate lookup; then the transaction is undone and run again without it, so aggregates
/// are only ever added exactly. This is the ingest hot path, so it is two plain SQL statements rather than
/// LINQ (whose per-call translation cost more than the database work).
/// </summary>
internal sealed class FrameRecorder(ScanportDb db, TimeProvider clock, IEventBus events, SqliteWriteGate gate, FrameMetrics metrics, FrameGroupCommit groups)
{
    /// <summary>A frame as stored, and whether this request recorded it (false: it was already there).</summary>
    public sealed record Outcome(Frame Frame, bool IsNew);

    public async Task<(IReadOnlyList<Outcome>? Frames, ApiError? Error)> RecordAsync(
        Caller caller, Guid scanId, IReadOnlyList<FrameValidation.ValidFrame> frames, CancellationToken ct)
    {
        if (frames.Count == 1) return await RecordOneAsync(caller, scanId, frames[0], ct);
        var distinct = frames.DistinctBy(f => f.FrameNumber).ToList();
        var known = new HashSet<int>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var fresh = distinct.Where(f => !known.Contains(f.FrameNumber)).ToList();
            var now = clock.GetUtcNow();
            var added = fresh.Select(f => f.ToFrame(scanId, now)).ToList();

            using (await gate.EnterAsync(db, ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (await AddToAggregatesAsync(caller.OrgId, scanId, fresh, ct) == 0)
                    return (null, await WhyNotActiveAsync(caller, scanId, ct));
                var duplicates = new List<int>();
                var timestamp = ProviderValue(now);
                foreach (var f in added)
                {
                    var inserted = await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO frames (scan_id, frame_number, id, user_in_frame, confidence, stability_score, iou, is_valid, timestamp)
                        VALUES ({f.ScanId}, {f.FrameNumber}, {f.Id}, {f.UserInFrame}, {f.Confidence}, {f.StabilityScore}, {f.Iou}, {f.IsValid}, {timestamp})
                        ON CONFLICT (scan_id, frame_number) DO NOTHING
                        """, ct);
                    if (inserted == 0) duplicates.Add(f.FrameNumber);
                }
                if (duplicates.Count > 0)
                {
                    await tx.RollbackAsync(ct);
                    known.UnionWith(duplicates);
                    continue;
                }
                await tx.CommitAsync(ct);
            }

            metrics.Recorded(added.Count);
            if (added.Count > 0) events.Publish(ScanEvents.Updated(scanId));
            var existing = known.Count == 0 ? [] : await db.Set<Frame>().AsNoTracking()
                .Where(f => f.ScanId == scanId && known.Contains(f.FrameNumber)).ToListAsync(ct);
            var byNumber = existing.ToDictionary(f => f.FrameNumber, f => new Outcome(f, false));
            foreach (var f in added) byNumber[f.FrameNumber] = new Outcome(f, true);
            return (distinct.Select(f => byNumber[f.FrameNumber]).ToList(), null);
        }
        return (null, ApiError.Conflict("Frames of this scan are being changed concurrently; retry"));
    }

    /// <summary>
    /// One frame, committed with the frames posted at the same moment (<see cref="FrameGroupCommit"/>): the scan if it is
    /// this organization's and active (on PostgreSQL its row locked, FOR UPDATE re-checking after any wait), the frame
    /// inserted unless its number exists, and added to the aggregates only if it was inserted. The counts say which.
    /// </summary>
    private async Task<(IReadOnlyList<Outcome>? Frames, ApiError? Error)> RecordOneAsync(
        Caller caller, Guid scanId, FrameValidation.ValidFrame f, CancellationToken ct)
    {
        var frame = f.ToFrame(scanId, clock.GetUtcNow());
        var counts = await groups.RecordAsync(caller.OrgId, frame, ct);
        if (counts.Scans == 0) return (null, await WhyNotActiveAsync(caller, scanId, ct));
        if (counts.Inserted == 1)
        {
            metrics.Recorded(1);
            events.Publish(ScanEvents.Updated(scanId));
            return ([new Outcome(frame, true)], null);
        }
        var existing = await db.Set<Frame>().AsNoTracking().FirstAsync(x => x.ScanId == scanId && x.FrameNumber == f.FrameNumber, ct);
        return ([new Outcome(existing, false)], null);
    }

    /// <summary>Adds the frames to the scan's aggregates, if the scan is this organization's and active; takes the row lock.</summary>
    private Task<int> AddToAggregatesAsync(Guid orgId, Guid scanId, List<FrameValidation.ValidFrame> fresh, CancellationToken ct)
    {
        long count = fresh.Count, valid = fresh.Count(f => f.IsValid), withUser = fresh.Count(f => f.UserInFrame);
        double confidence = fresh.Sum(f => f.Confidence), stability = fresh.Sum(f => f.StabilityScore);
        int? last = fresh.Count > 0 ? fresh[^1].FrameNumber : null;
        var active = ScanStatus.Active;
        return db.Database.ExecuteSqlAsync($"""
            UPDATE scans SET frame_count = frame_count + {count}, valid_frames = valid_frames + {valid},
                frames_with_user = frames_with_user + {withUser}, confidence_sum = confidence_sum + {confidence},
                stability_sum = stability_sum + {stability}, latest_frame_number = COALESCE({last}, latest_frame_number)
            WHERE id = {scanId} AND org_id = {orgId} AND status = {active}
            """, ct);
    }

    /// <summary>A time as the model stores it (SQLite keeps instants as integers, see <see cref="SqliteScanportDb"/>).</summary>
    private object ProviderValue(DateTimeOffset value) =>
        db.Model.FindEntityType(typeof(Frame))!.FindProperty(nameof(Frame.Timestamp))!.GetValueConverter() is { } converter
            ? converter.ConvertToProvider(value)!
            : value;

    private async Task<ApiError> WhyNotActiveAsync(Caller caller, Guid scanId, CancellationToken ct)
    {
        var status = await db.Set<Scan>().Where(s => s.Id == scanId && s.OrgId == caller.OrgId).Select(s => s.Status).FirstOrDefaultAsync(ct);
        return status is null ? BodyScanErrors.NotFound : BodyScanErrors.NotActive(status);
    }
}

internal static class ScanEvents
{
    public static string Topic(Guid scanId) => $"scan:{scanId}";

    public static DomainEvent Updated(Guid scanId) => new(Topic(scanId), "scan.updated", $$"""{"scanId":"{{scanId}}"}""");
}
