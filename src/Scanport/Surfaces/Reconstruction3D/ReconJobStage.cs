using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// The stage a job of this surface is in, as its rows and its WebSocket messages name it: the handler's own step while
/// it runs, and <c>starting</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c> at the ends. Kept on the job's row
/// (Jobs keeps the events themselves only for a while).
/// </summary>
internal sealed class ReconJobStage(ScanportDb db) : IJobObserver
{
    public async Task OnJobEventAsync(JobEvent e, CancellationToken ct)
    {
        if (e.Job.Type is not (ReconJobTypes.FrameExtractionHandler or ReconJobTypes.ReconstructionHandler)) return;
        if (Of(e.Type, e.Stage) is { } stage)
            await db.Set<ReconJob>().Where(r => r.JobId == e.Job.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Stage, stage), ct);
    }

    /// <summary>The stage an event of <paramref name="type"/> puts the job in, or null when it does not say.</summary>
    public static string? Of(string type, string? stage) => type switch
    {
        "job_started" => "starting",
        "job_completed" => "completed",
        "job_failed" => "failed",
        "job_cancelled" => "cancelled",
        _ => stage,
    };

    /// <summary>The job's status as this surface's events name it.</summary>
    public static string StatusOf(string type) => type switch
    {
        "job_completed" => "completed",
        "job_failed" => "failed",
        "job_cancelled" => "cancelled",
        _ => "running",
    };
}
