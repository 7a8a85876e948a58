using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;

namespace Scanport.Jobs;

/// <summary>Puts work on the durable queue: a job row first (the truth), then a Hangfire job that carries its id.</summary>
public sealed class JobQueue(ScanportDb db, IBackgroundJobClient hangfire, IEnumerable<IJobHandler> handlers, TimeProvider clock)
{
    /// <summary>Queues a job; <paramref name="payload"/> is stored as JSON and read back by the handler as the same type.</summary>
    public async Task<Job> EnqueueAsync<TPayload>(Guid orgId, string type, TPayload payload, string? subject, CancellationToken ct) where TPayload : notnull
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
    public Job Add<TPayload>(Guid orgId, string type, TPayload payload, string? subject) where TPayload : notnull
    {
        // A string would be stored as a JSON string, not as the object it may spell: the payload is the object itself.
        if (payload is string) throw new ArgumentException("Pass the payload as an object; Jobs serializes it.", nameof(payload));
        var handler = handlers.FirstOrDefault(h => h.Type == type) ?? throw new InvalidOperationException($"No handler for job type {type}.");
        var job = new Job
        {
            OrgId = orgId,
            Type = type,
            Queue = handler.Queue,
            Payload = JsonSerializer.Serialize(payload),
            Subject = subject,
            CreatedAt = clock.GetUtcNow(),
            TraceParent = JobTraces.Current(),
        };
        db.Add(job);
        return job;
    }

    /// <summary>
    /// Queues a job unless another job of <paramref name="subject"/> is queued or running: null then. Rows the caller
    /// adds in <paramref name="alongside"/> are saved in the same transaction as the job's, and not at all on a conflict.
    /// Of racing enqueues the database's unique index lets one insert through; the others report the conflict.
    /// </summary>
    public async Task<Job?> EnqueueExclusiveAsync<TPayload>(
        Guid orgId, string type, TPayload payload, string subject, Action<Job>? alongside, CancellationToken ct) where TPayload : notnull
    {
        if (await Active(subject).AnyAsync(ct)) return null;
        var job = Add(orgId, type, payload, subject);
        job.ExclusiveSubject = subject;
        alongside?.Invoke(job);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            if (!await Active(subject).AnyAsync(CancellationToken.None)) throw;
            // Another enqueue won the race (the unique index refused this row): nothing of this one stays.
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList()) entry.State = EntityState.Detached;
            return null;
        }
        Dispatch(job);
        return job;
    }

    /// <summary>The queued or running jobs of a subject.</summary>
    public IQueryable<Job> Active(string subject) =>
        db.Set<Job>().Where(j => j.Subject == subject && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running));

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
