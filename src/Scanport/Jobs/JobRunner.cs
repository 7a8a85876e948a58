using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Events;

namespace Scanport.Jobs;

/// <summary>
/// Runs one job for Hangfire. It claims the row first (queued → running) in one conditional update, so a job
/// fetched twice (a worker that died, an invisibility timeout) runs once; a job found running at start-up is
/// one whose worker died, and is claimed again. Retries are ours, counted on the row.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class JobRunner(IServiceScopeFactory scopes, IEventBus events, IOptions<JobsOptions> options,
    IOptions<ScanportOptions> scanport, TimeProvider clock, JobMetrics metrics, ILogger<JobRunner> logger)
{
    public async Task RunAsync(Guid jobId, CancellationToken hangfireToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        var stale = now - options.Value.HeartbeatTimeout;
        var claimed = await db.Set<Job>()
            .Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || (j.Status == JobStatus.Running && j.HeartbeatAt < stale)))
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.StartedAt, now).SetProperty(j => j.HeartbeatAt, now), hangfireToken);
        if (claimed == 0)
        {
            // Finished or cancelled: nothing to do. Running with a fresh heartbeat: another worker has it, or had it
            // until it died moments ago; look again once its heartbeat would have gone stale.
            if (await db.Set<Job>().AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Running, hangfireToken))
                scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>()
                    .Schedule<JobRunner>(r => r.RunAsync(jobId, CancellationToken.None), options.Value.HeartbeatTimeout);
            return;
        }
        var job = await db.Set<Job>().AsNoTracking().FirstAsync(j => j.Id == jobId, hangfireToken);
        using var activity = JobTraces.StartAttempt(job);
        if (job.Attempts > job.MaxAttempts)
        {
            // A failed attempt counts itself and a stopping process hands its attempt back, so only attempts whose worker
            // died (a crash, an out-of-memory kill) get here: running the job again would loop for as long as it kills workers.
            var died = $"The job's worker stopped (a crash or a kill) during its last attempt, after {job.MaxAttempts} attempts";
            JobTraces.End(activity, JobOutcomes.Failed, died);
            await FinishAsync(job, JobStatus.Failed, "", died);
            return;
        }
        var started = clock.GetTimestamp();
        await PublishAsync(job, "job_started");

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(hangfireToken);
        var work = new JobWorkFolder(scanport.Value.DataDir, jobId);
        var context = new JobContext(job, (p, stage) => ProgressAsync(job, p, stage, cancel.Token), lines => LogAsync(jobId, lines), work, clock);
        var watcher = WatchForCancelAsync(job, context, cancel);
        string status, result = "", error = "";
        string? reason = null;
        var stopping = false;
        var superseded = false;
        try
        {
            // The attempt's handler comes from the attempt's scope, with the database context the claim used.
            var outcome = await HandlerOf(scope.ServiceProvider, job.Type).RunAsync(context, cancel.Token);
            (status, result, error) = outcome.Failure is { } failure ? (JobStatus.Failed, "", failure) : (JobStatus.Succeeded, outcome.Result ?? "", "");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The process stopping is not the job being cancelled: then it goes back to the queue for the next start.
            stopping = hangfireToken.IsCancellationRequested && !await CancelRequestedAsync(jobId);
            status = stopping ? JobStatus.Queued : JobStatus.Cancelled;
        }
        catch (JobFailedException e)
        {
            (status, error) = (JobStatus.Failed, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} ({JobType}) attempt {Attempt} failed", jobId, job.Type, job.Attempts);
            status = job.Attempts < job.MaxAttempts ? JobStatus.Queued : JobStatus.Failed;
            error = e.Message;
            // The exception's own words were written for developers and may name the server's paths: the handler's
            // entity, which its clients see, gets a reason that points to the log instead.
            reason = $"An unexpected error ended the last of its {job.MaxAttempts} attempts (job {job.Id}; the server's log has the details)";
        }
        finally
        {
            await cancel.CancelAsync();
            superseded = await watcher;
            if (!superseded) await context.FlushLogAsync(end: true);
            work.Remove();
        }
        var ended = JobOutcomes.Of(status, stopping, superseded);
        metrics.Record(job, ended, clock.GetElapsedTime(started));
        JobTraces.End(activity, ended, error);
        if (superseded)
        {
            // This worker lost the job (its heartbeats did not reach the database for long enough that it was taken for
            // dead and the job claimed again): the attempt that holds the row now finishes it.
            logger.LogWarning("Job {JobId} ({JobType}) attempt {Attempt} stopped: another worker holds the job now", jobId, job.Type, job.Attempts);
            return;
        }
        if (stopping)
        {
            await RequeueAsync(job);
            return;
        }
        await FinishAsync(job, status, result, error, reason);
    }

    private static IJobHandler HandlerOf(IServiceProvider services, string type) =>
        services.GetServices<IJobHandler>().First(h => h.Type == type);

    // reason: what the handler is told when the job failed for good, when not the error itself.
    private async Task FinishAsync(Job job, string status, string result, string error, string? reason = null)
    {
        // The handler ends its entity before the row says failed: whoever sees the job failed finds the entity failed too.
        // Should the process die in between, the job is claimed again and finds its entity ended.
        if (status == JobStatus.Failed) await TellHandlerAsync(job, reason ?? (error.Length > 0 ? error : "The job failed"));
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        // Fenced by the attempt: only the attempt that holds the row ends it.
        await db.Set<Job>().Where(j => j.Id == job.Id && j.Attempts == job.Attempts).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.Status, status)
            .SetProperty(j => j.Progress, j => status == JobStatus.Succeeded ? 100 : j.Progress)
            .SetProperty(j => j.Result, j => status == JobStatus.Succeeded ? result : j.Result)
            .SetProperty(j => j.Error, j => error.Length > 0 ? error : j.Error)
            .SetProperty(j => j.FinishedAt, j => JobStatus.IsFinal(status) ? now : j.FinishedAt));
        if (status == JobStatus.Queued)
        {
            // Try again later, with back-off; the handler must cope with what the failed attempt left.
            var delay = options.Value.RetryDelay * Math.Pow(4, job.Attempts - 1);
            scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>()
                .Schedule<JobRunner>(r => r.RunAsync(job.Id, CancellationToken.None), delay);
            logger.LogWarning("Job {JobId} will be retried in {Delay}", job.Id, delay);
            return;
        }
        await PublishAsync(job, status switch
        {
            JobStatus.Succeeded => "job_completed",
            JobStatus.Cancelled => "job_cancelled",
            _ => "job_failed",
        }, error: error.Length > 0 ? error : null);
        logger.LogInformation("Job {JobId} ({JobType}) {Status}", job.Id, job.Type, status);
    }

    /// <summary>Lets the handler end its entity; the job's own end stands whatever the hook does.</summary>
    private async Task TellHandlerAsync(Job job, string error)
    {
        // A scope of its own: the attempt's may hold what the failure left half done.
        using var scope = scopes.CreateScope();
        var context = new JobContext(job, (p, stage) => ProgressAsync(job, p, stage, CancellationToken.None), lines => LogAsync(job.Id, lines), clock: clock);
        try
        {
            await HandlerOf(scope.ServiceProvider, job.Type).OnFinalFailureAsync(context, error, CancellationToken.None);
            await context.FlushLogAsync(end: true);
        }
        catch (Exception e)
        {
            logger.LogError(e, "The failure hook of job {JobId} ({JobType}) failed", job.Id, job.Type);
        }
    }

    private async Task ProgressAsync(Job job, int percent, string? stage, CancellationToken ct)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var now = clock.GetUtcNow();
            await db.Set<Job>().Where(j => j.Id == job.Id && j.Attempts == job.Attempts).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Progress, percent).SetProperty(j => j.HeartbeatAt, now), ct);
        }
        await PublishAsync(job, "job_progress", percent, stage);
    }

    private async Task<bool> CancelRequestedAsync(Guid jobId)
    {
        using var scope = scopes.CreateScope();
        return !await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AnyAsync(j => j.Id == jobId && !j.CancelRequested);
    }

    private async Task RequeueAsync(Job job)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        await db.Set<Job>().Where(j => j.Id == job.Id && j.Status == JobStatus.Running).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.Attempts, j => j.Attempts - 1).SetProperty(j => j.HeartbeatAt, (DateTimeOffset?)null));
        logger.LogInformation("Job {JobId} ({JobType}) handed back to the queue: the process is stopping", job.Id, job.Type);
    }

    // Not cancelled with the job: the lines that tell why it stopped are written after it stopped.
    private async Task LogAsync(Guid jobId, IReadOnlyList<(DateTimeOffset? At, string Line)> lines)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        var stamped = new StringBuilder();
        foreach (var (at, text) in lines)
            foreach (var line in text.Split('\n'))
                stamped.Append((at ?? now).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(line).Append('\n');
        var appended = stamped.ToString();
        await db.Set<Job>().Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u.SetProperty(j => j.Logs, j => j.Logs + appended), CancellationToken.None);
    }

    /// <summary>
    /// Polls the row's cancel flag (set by <see cref="JobQueue.CancelAsync"/> on any node), keeps the heartbeat fresh,
    /// and writes the log lines the job collected since the last poll. The heartbeat is fenced by the attempt: when the
    /// row has moved on to another attempt (this worker was taken for dead and the job claimed again), the attempt is
    /// stopped and true returned.
    /// </summary>
    private async Task<bool> WatchForCancelAsync(Job job, JobContext context, CancellationTokenSource cancel)
    {
        // The poll's queries belong to no trace: a long job's span would carry two of them a second.
        Activity.Current = null;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CancelPollInterval, clock, cancel.Token);
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
                var now = clock.GetUtcNow();
                var held = await db.Set<Job>().Where(j => j.Id == job.Id && j.Attempts == job.Attempts && j.Status == JobStatus.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.HeartbeatAt, now), cancel.Token);
                // A row that is gone (its project was deleted) is cancelled too.
                var row = await db.Set<Job>().Where(j => j.Id == job.Id).Select(j => new { j.CancelRequested, j.Attempts, j.Status }).FirstOrDefaultAsync(cancel.Token);
                if (held == 0 && row is not null && (row.Attempts != job.Attempts || row.Status != JobStatus.Running))
                {
                    await cancel.CancelAsync();
                    return true;
                }
                if (row is null || row.CancelRequested) await cancel.CancelAsync();
                else await context.FlushLogAsync();
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                // The database is away: the job goes on, and the next poll tries again.
                logger.LogWarning(e, "The heartbeat of job {JobId} was not written", job.Id);
            }
        }
        return false;
    }

    private async Task PublishAsync(Job job, string type, int? progress = null, string? stage = null, string? error = null)
    {
        long? id = null;
        using (var scope = scopes.CreateScope())
        {
            try
            {
                var jobEvents = scope.ServiceProvider.GetRequiredService<JobEvents>();
                id = (await jobEvents.AppendAsync(job, type, progress, stage, error, CancellationToken.None)).Id;
                if (type != "job_progress" && type != "job_started") await jobEvents.PruneAsync(CancellationToken.None);
            }
            catch (DbUpdateException e)
            {
                // The job's row is gone (its project was deleted while it ran): there is no one left to tell.
                logger.LogDebug(e, "Event {EventType} of job {JobId} not stored", type, job.Id);
            }
            foreach (var observer in scope.ServiceProvider.GetServices<IJobObserver>())
            {
                try
                {
                    await observer.OnJobEventAsync(new JobEvent(job, type, progress, stage, error), CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "A job observer failed on {EventType} of job {JobId}", type, job.Id);
                }
            }
        }
        var json = JsonSerializer.Serialize(new BusMessage(id, job.Id, job.Type, progress, stage, error));
        events.Publish(new DomainEvent($"job:{job.Id}", type, json));
        if (job.Subject is not null) events.Publish(new DomainEvent(job.Subject, type, json));
    }

    /// <summary>What the in-process bus carries of a job event; readers that need more read the stored event.</summary>
    private sealed record BusMessage(
        [property: JsonPropertyName("event_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EventId,
        [property: JsonPropertyName("job_id")] Guid JobId,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("progress"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Progress,
        [property: JsonPropertyName("stage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stage,
        [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
}
