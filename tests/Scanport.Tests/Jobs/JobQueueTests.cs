using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>The job engine: the job table is the truth, retries produce one result, cancels stop work, restarts lose nothing.</summary>
[Collection(AppCollection.Name)]
public sealed class JobQueueTests(ScanportApp app)
{
    private async Task<Job> EnqueueAsync(ScanportApp host, Guid orgId, string type, object? payload = null)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(orgId, type, payload ?? new { }, null, CancellationToken.None);
    }

    private static async Task<Job> WaitAsync(ScanportApp host, Guid jobId, Func<Job, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            using var scope = host.Services.CreateScope();
            var job = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AsNoTracking().FirstAsync(j => j.Id == jobId);
            if (done(job)) return job;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {jobId} did not get there in 20 s");
    }

    [Fact]
    public async Task A_job_runs_once_and_keeps_its_result_and_log()
    {
        var tenant = await app.NewTenantAsync();
        var job = await EnqueueAsync(app, tenant.OrgId, "test.echo", new { x = 1 });

        var done = await WaitAsync(app, job.Id, j => JobStatus.IsFinal(j.Status));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal("""{"x":1}""", done.Result);
        Assert.Equal(100, done.Progress);
        Assert.Contains("echoing", done.Logs);
        Assert.Equal(1, TestJobs.Runs[job.Id]);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_and_the_job_has_one_result()
    {
        var tenant = await app.NewTenantAsync();
        var job = await EnqueueAsync(app, tenant.OrgId, "test.fails-once");

        var done = await WaitAsync(app, job.Id, j => JobStatus.IsFinal(j.Status));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal("""{"attempt":2}""", done.Result);
        Assert.Equal("a transient failure", done.Error);
        Assert.Equal(2, TestJobs.Runs[job.Id]);
    }

    [Fact]
    public async Task A_running_job_is_cancelled_within_a_second()
    {
        var tenant = await app.NewTenantAsync();
        var job = await EnqueueAsync(app, tenant.OrgId, "test.until-cancelled");
        await WaitAsync(app, job.Id, j => j.Status == JobStatus.Running && j.Progress > 0);

        using (var scope = app.Services.CreateScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<JobQueue>().CancelAsync(tenant.OrgId, job.Id, CancellationToken.None));
        var done = await WaitAsync(app, job.Id, j => JobStatus.IsFinal(j.Status));

        Assert.Equal(JobStatus.Cancelled, done.Status);
        Assert.NotNull(done.FinishedAt);
        Assert.InRange((done.FinishedAt!.Value - done.StartedAt!.Value).TotalSeconds, 0, 30);
    }

    [Fact]
    public async Task Jobs_left_queued_or_running_by_a_dead_process_run_again_once_at_start_up()
    {
        var tenant = await app.NewTenantAsync();
        Guid queuedId, orphanId;
        using (var scope = app.Services.CreateScope())
        {
            // Rows as a crashed process leaves them: one never started, one whose worker died mid-run.
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var stale = TimeProvider.System.GetUtcNow().AddMinutes(-10);
            var queued = new Job { OrgId = tenant.OrgId, Type = "test.echo", Queue = "default", Payload = "\"queued\"", CreatedAt = stale };
            var orphan = new Job
            {
                OrgId = tenant.OrgId,
                Type = "test.echo",
                Queue = "default",
                Payload = "\"orphan\"",
                CreatedAt = stale,
                Status = JobStatus.Running,
                Attempts = 1,
                StartedAt = stale,
                HeartbeatAt = stale,
            };
            db.AddRange(queued, orphan);
            await db.SaveChangesAsync();
            (queuedId, orphanId) = (queued.Id, orphan.Id);
        }

        await using var restarted = await app.StartAnotherNodeAsync();

        var first = await WaitAsync(restarted, queuedId, j => JobStatus.IsFinal(j.Status));
        var second = await WaitAsync(restarted, orphanId, j => JobStatus.IsFinal(j.Status));
        Assert.Equal((JobStatus.Succeeded, "\"queued\""), (first.Status, first.Result));
        Assert.Equal((JobStatus.Succeeded, "\"orphan\"", 2), (second.Status, second.Result, second.Attempts));
        await Task.Delay(500);
        Assert.Equal(1, TestJobs.Runs[queuedId]);
        Assert.Equal(1, TestJobs.Runs[orphanId]);
    }

    [Fact]
    public async Task A_job_whose_last_attempt_throws_fails_and_its_handler_is_told_once()
    {
        var tenant = await app.NewTenantAsync();
        var job = await EnqueueAsync(app, tenant.OrgId, "test.always-throws");

        var done = await WaitAsync(app, job.Id, j => JobStatus.IsFinal(j.Status));
        await Task.Delay(300);

        Assert.Equal((JobStatus.Failed, 3, "a bug on attempt 3"), (done.Status, done.Attempts, done.Error));
        Assert.Equal(3, TestJobs.Runs[job.Id]);
        // The exception's words stay on the job's row and in the server's log; the handler's entity gets a reason naming the job.
        Assert.Equal([$"An unexpected error ended the last of its 3 attempts (job {job.Id}; the server's log has the details)"],
            TestJobs.FinalFailures[job.Id]);
    }

    [Fact]
    public async Task A_job_whose_worker_died_during_its_last_attempt_fails_without_running_again()
    {
        var tenant = await app.NewTenantAsync();
        Guid jobId;
        using (var scope = app.Services.CreateScope())
        {
            // Its third attempt's worker died (a crash, an out-of-memory kill): the heartbeat went stale with the row running.
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var stale = TimeProvider.System.GetUtcNow().AddMinutes(-10);
            var job = new Job
            {
                OrgId = tenant.OrgId,
                Type = "test.echo",
                Queue = "default",
                CreatedAt = stale,
                Status = JobStatus.Running,
                Attempts = 3,
                StartedAt = stale,
                HeartbeatAt = stale,
            };
            db.Add(job);
            await db.SaveChangesAsync();
            jobId = job.Id;
        }

        await using var restarted = await app.StartAnotherNodeAsync();

        var done = await WaitAsync(restarted, jobId, j => JobStatus.IsFinal(j.Status));
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("worker stopped", done.Error);
        Assert.False(TestJobs.Runs.ContainsKey(jobId));
        Assert.Equal([done.Error], TestJobs.FinalFailures[jobId]);
    }
}
