using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;

namespace Scanport.Jobs;

/// <summary>Puts work on the durable queue: a job row first (the truth), then a Hangfire job that carries its id.</summary>
public sealed class JobQueue(ScanportDb db, IBackgroundJobClient hangfire, IEnumerable<IJobHandler> handlers, TimeProvider clock)
{
    public async Task<Job> EnqueueAsync(Guid orgId, string type, string payload, string? subject, CancellationToken ct)
    {
        var job = Add(orgId, type, payload, subject);
        await db.SaveChangesAsync(ct);
        Dispatch(job);
        return job;
    }

    /// <summary>
    /// Adds a job's row to the unit of work without saving it, for a job saved in one transaction with rows of its own;
    /// after <c>SaveChangesAsync</c>, <see cref="Dispatch(Job)"/> hands it to a worker.
    /// </summary>
    public Job Add(Guid orgId, string type, string payload, string? subject)
    {
        var handler = handlers.FirstOrDefault(h => h.Type == type) ?? throw new InvalidOperationException($"No handler for job type {type}.");
        var job = new Job { OrgId = orgId, Type = type, Queue = handler.Queue, Payload = payload, Subject = subject, CreatedAt = clock.GetUtcNow() };
        db.Add(job);
        return job;
    }

    /// <summary>Hands a saved job to a worker.</summary>
    public void Dispatch(Job job) => Dispatch(hangfire, job);

    /// <summary>Asks a job to stop: a queued job is cancelled at once, a running one at its next check.</summary>
    public async Task<bool> CancelAsync(Guid orgId, Guid jobId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var queued = await db.Set<Job>().Where(j => j.Id == jobId && j.OrgId == orgId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.CancelRequested, true)
                .SetProperty(j => j.FinishedAt, now), ct);
        if (queued > 0) return true;
        return await db.Set<Job>().Where(j => j.Id == jobId && j.OrgId == orgId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.CancelRequested, true), ct) > 0;
    }

    internal static void Dispatch(IBackgroundJobClient hangfire, Job job) =>
        hangfire.Create<JobRunner>(runner => runner.RunAsync(job.Id, CancellationToken.None), new EnqueuedState(job.Queue));
}
