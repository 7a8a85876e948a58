using System.Text;
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
public sealed class JobRunner(IServiceScopeFactory scopes, IEnumerable<IJobHandler> handlers, IEventBus events,
    IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobRunner> logger)
{
    public async Task RunAsync(Guid jobId, CancellationToken hangfireToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        var claimed = await db.Set<Job>()
            .Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || (j.Status == JobStatus.Running && j.HeartbeatAt < now.AddMinutes(-2))))
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.StartedAt, now).SetProperty(j => j.HeartbeatAt, now), hangfireToken);
        if (claimed == 0) return; // already running elsewhere, finished, or cancelled
        var job = await db.Set<Job>().AsNoTracking().FirstAsync(j => j.Id == jobId, hangfireToken);
        var handler = handlers.First(h => h.Type == job.Type);
        Publish(job, "job_started", null);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(hangfireToken);
        var watcher = WatchForCancelAsync(jobId, cancel);
        var context = new JobContext(job, p => ProgressAsync(job, p, cancel.Token), line => LogAsync(jobId, line, cancel.Token));
        string status, result = "", error = "";
        try
        {
            result = await handler.RunAsync(context, cancel.Token) ?? "";
            status = JobStatus.Succeeded;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            status = JobStatus.Cancelled;
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
        }
        finally
        {
            await cancel.CancelAsync();
            await watcher;
        }
        await FinishAsync(job, status, result, error);
    }

    private async Task FinishAsync(Job job, string status, string result, string error)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        await db.Set<Job>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
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
        Publish(job, status switch
        {
            JobStatus.Succeeded => "job_completed",
            JobStatus.Cancelled => "job_cancelled",
            _ => "job_failed",
        }, error.Length > 0 ? error : null);
        logger.LogInformation("Job {JobId} ({JobType}) {Status}", job.Id, job.Type, status);
    }

    private async Task ProgressAsync(Job job, int percent, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var now = clock.GetUtcNow();
        await db.Set<Job>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.Progress, percent).SetProperty(j => j.HeartbeatAt, now), ct);
        Publish(job, "job_progress", null, percent);
    }

    private async Task LogAsync(Guid jobId, string line, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var stamped = $"{clock.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {line}\n";
        await db.Set<Job>().Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u.SetProperty(j => j.Logs, j => j.Logs + stamped), ct);
    }

    /// <summary>Polls the row's cancel flag (set by <see cref="JobQueue.CancelAsync"/> on any node) and keeps the heartbeat fresh.</summary>
    private async Task WatchForCancelAsync(Guid jobId, CancellationTokenSource cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(options.Value.CancelPollInterval, clock, cancel.Token);
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
                var now = clock.GetUtcNow();
                await db.Set<Job>().Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u.SetProperty(j => j.HeartbeatAt, now), cancel.Token);
                if (await db.Set<Job>().AnyAsync(j => j.Id == jobId && j.CancelRequested, cancel.Token)) await cancel.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Publish(Job job, string type, string? error, int? progress = null)
    {
        var json = new StringBuilder("{\"job_id\":\"").Append(job.Id).Append("\",\"type\":\"").Append(job.Type).Append('"');
        if (progress is not null) json.Append(",\"progress\":").Append(progress);
        if (error is not null) json.Append(",\"error\":").Append(System.Text.Json.JsonSerializer.Serialize(error));
        json.Append('}');
        events.Publish(new DomainEvent($"job:{job.Id}", type, json.ToString()));
        if (job.Subject is not null) events.Publish(new DomainEvent(job.Subject, type, json.ToString()));
    }
}
