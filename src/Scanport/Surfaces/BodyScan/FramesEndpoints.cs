using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.BodyScan;

internal static class FramesEndpoints
{
    public const int MaxPageSize = 1000;

    public static void MapFrames(this RouteGroupBuilder api)
    {
        api.MapPost("/frames", Submit).ProducesErrors(404, 409).WithName("SubmitFrame").WithSummary("Submit frame quality data for a scan");
        api.MapPost("/frames/batch", SubmitBatch).ProducesErrors(404, 409).WithName("SubmitFrameBatch")
            .WithSummary("Our addition: many frames of one scan at once, all or nothing");
        api.MapGet("/frames", List).ProducesErrors(400, 404).WithName("ListFrames")
            .WithSummary("Our addition: a scan's frames in frame-number order, a page at a time");
    }

    /// <summary>201 for a new frame; 200 with the stored frame when that frame number was already recorded.</summary>
    public static async Task<Results<Created<FrameResponse>, Ok<FrameResponse>, ErrorResult>> Submit(
        FrameRequest request, Caller caller, ScanportDb db, FrameRecorder recorder, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var hasScanId = !string.IsNullOrWhiteSpace(request.ScanId);
        if (!hasScanId) errors["scanId"] = ["is required"];
        var frame = FrameValidation.Validate(
            new BatchFrame(request.FrameNumber, request.UserInFrame, request.Confidence, request.StabilityScore, request.Iou, request.IsValid), errors);
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        if (FrameValidation.ParseScanId(request.ScanId, out var scanId) is { } unknown) return new ErrorResult(unknown);
        if (await ScanAccess.CheckAsync(db, caller, scanId, record: true, ct) is { } refused) return new ErrorResult(refused);

        var (outcomes, error) = await recorder.RecordAsync(caller, scanId, [frame!], ct);
        if (error is not null) return new ErrorResult(error);
        var outcome = outcomes![0];
        var response = ToResponse(outcome.Frame, outcome.IsNew);
        return outcome.IsNew ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
    }

    public static async Task<Results<Created<FrameBatchResponse>, ErrorResult>> SubmitBatch(
        FrameBatchRequest request, Caller caller, ScanportDb db, FrameRecorder recorder, IOptions<BodyScanOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.ScanId)) errors["scanId"] = ["is required"];
        var max = options.Value.MaxBatchSize;
        if (request.Frames is not { Count: > 0 } items) errors["frames"] = ["is required: an array of 1 or more frames"];
        else if (items.Count > max) errors["frames"] = [$"at most {max} frames per batch"];
        var valid = new List<FrameValidation.ValidFrame>();
        if (errors.Count == 0)
        {
            for (var i = 0; i < request.Frames!.Count; i++)
            {
                if (request.Frames[i] is not { } item) errors[$"frames[{i}]"] = ["must be an object"];
                else if (FrameValidation.Validate(item, errors, $"frames[{i}].") is { } v) valid.Add(v);
            }
        }
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        if (FrameValidation.ParseScanId(request.ScanId, out var scanId) is { } unknown) return new ErrorResult(unknown);
        if (await ScanAccess.CheckAsync(db, caller, scanId, record: true, ct) is { } refused) return new ErrorResult(refused);

        var (outcomes, error) = await recorder.RecordAsync(caller, scanId, valid, ct);
        if (error is not null) return new ErrorResult(error);
        var recorded = outcomes!.Count(o => o.IsNew);
        return TypedResults.Created((string?)null, new FrameBatchResponse(scanId, recorded, outcomes!.Count - recorded,
            outcomes!.Select(o => ToResponse(o.Frame, o.IsNew)).ToList()));
    }

    public static async Task<Results<Ok<FramePage>, ErrorResult>> List(
        string? scanId, int? after, int? limit, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (FrameValidation.ParseScanId(scanId, out var id) is { } invalid) return new ErrorResult(invalid);
        var take = limit ?? 100;
        if (take is < 1 or > MaxPageSize) return new ErrorResult(ApiError.Field("limit", $"must be between 1 and {MaxPageSize}"));
        if (after is < -1) return new ErrorResult(ApiError.Field("after", "must be a frame number (or -1 for the start)"));
        if (!await ScanAccess.Visible(db, caller).AnyAsync(s => s.Id == id, ct)) return new ErrorResult(BodyScanErrors.NotFound);
        var from = after ?? -1;
        var frames = await db.Set<Frame>().AsNoTracking()
            .Where(f => f.ScanId == id && f.FrameNumber > from)
            .OrderBy(f => f.FrameNumber)
            .Take(take + 1)
            .Select(f => new FrameRecord(f.Id, f.ScanId, f.FrameNumber, f.UserInFrame, f.Confidence, f.StabilityScore, f.Iou, f.IsValid, f.Timestamp))
            .ToListAsync(ct);
        var more = frames.Count > take;
        if (more) frames.RemoveAt(take);
        return TypedResults.Ok(new FramePage(id, frames, more ? frames[^1].FrameNumber : null));
    }

    private static FrameResponse ToResponse(Frame f, bool isNew) =>
        new(f.Id, f.ScanId, f.FrameNumber, f.UserInFrame,
            isNew ? $"Frame {f.FrameNumber} recorded successfully" : $"Frame {f.FrameNumber} was already recorded");
}
