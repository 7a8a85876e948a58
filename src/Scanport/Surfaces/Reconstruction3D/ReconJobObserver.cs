using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// Keeps each event of this surface's jobs as a numbered row of its project (what the WebSocket sends, and resends
/// after a reconnect), and the stage the job is in. Runs in the worker's process, before the in-process bus is told.
/// </summary>
internal sealed class ReconJobObserver(ScanportDb db, IOptions<Reconstruction3DOptions> options, TimeProvider clock) : IJobObserver
{
    public async Task OnJobEventAsync(JobEvent e, CancellationToken ct)
    {
        if (e.Job.Type is not (ReconJobTypes.FrameExtractionHandler or ReconJobTypes.ReconstructionHandler)) return;
        var row = await db.Set<ReconJob>().Where(r => r.JobId == e.Job.Id)
            .Join(db.Set<Scanport.Projects.Project>(), r => r.ProjectId, p => p.Id, (r, p) => new { r.Number, r.ProjectId, r.JobType, ProjectNumber = p.Number })
            .FirstOrDefaultAsync(ct);
        if (row is null) return; // the project was deleted
        var stage = e.Type switch
        {
            "job_started" => "starting",
            "job_completed" => "completed",
            "job_failed" => "failed",
            "job_cancelled" => "cancelled",
            _ => e.Stage,
        };
        if (stage is not null) await db.Set<ReconJob>().Where(r => r.JobId == e.Job.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Stage, stage), ct);
        var now = clock.GetUtcNow();
        var status = e.Type switch
        {
            "job_completed" => "completed",
            "job_failed" => "failed",
            "job_cancelled" => "cancelled",
            _ => "running",
        };
        var message = new EventBody(e.Type, row.Number, row.ProjectNumber, row.JobType, status,
            e.Type == "job_completed" ? 100 : e.Progress, stage, e.Error, now);
        db.Add(new ReconEvent { ProjectId = row.ProjectId, Type = e.Type, Json = JsonSerializer.Serialize(message), CreatedAt = now });
        await db.SaveChangesAsync(ct);
        if (status != "running")
        {
            // A job's end prunes its project's events past their retention: a project's event log stays bounded.
            var cutoff = now - options.Value.EventRetention;
            await db.Set<ReconEvent>().Where(ev => ev.ProjectId == row.ProjectId && ev.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>An event as the WebSocket sends it; the row's id is put in front as <c>id</c>.</summary>
    internal sealed record EventBody(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("job_id")] long JobId,
        [property: JsonPropertyName("project_id")] long ProjectId,
        [property: JsonPropertyName("job_type")] string JobType,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("progress")] int? Progress,
        [property: JsonPropertyName("stage")] string? Stage,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);
}
