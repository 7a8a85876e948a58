using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>
/// A worker that dies while the others run on: its job is handed back once its heartbeat is stale (not only at a
/// start-up) and runs again once; and a worker taken for dead that was not (its heartbeats did not arrive) stops its
/// attempt instead of finishing over the one that holds the job now.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DeadWorkerTests(ScanportApp app)
{
    [Fact]
    public async Task A_running_job_whose_heartbeat_goes_stale_is_handed_back_and_runs_again_once()
    {
        var node = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Jobs:HeartbeatTimeout"] = "00:00:02" });
        try
        {
            await RunsAgainOnceAsync(node);
        }
        finally
        {
            await ((IAsyncLifetime)node).DisposeAsync();
        }
    }

    private static async Task RunsAgainOnceAsync(ScanportApp node)
    {
        var tenant = await node.NewTenantAsync();
        Guid orphanId;
        using (var scope = node.Services.CreateScope())
        {
            // As a worker killed mid-run leaves it, after this node started: running, its heartbeat going stale.
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var now = TimeProvider.System.GetUtcNow();
            var orphan = new Job
            {
                OrgId = tenant.OrgId,
                Type = "test.echo",
                Queue = "default",
                Payload = "\"orphan\"",
                CreatedAt = now,
                Status = JobStatus.Running,
                Attempts = 1,
                StartedAt = now,
                HeartbeatAt = now,
            };
            db.Add(orphan);
            await db.SaveChangesAsync();
            orphanId = orphan.Id;
        }

        var done = await WaitAsync(node, orphanId, j => JobStatus.IsFinal(j.Status));

        Assert.Equal((JobStatus.Succeeded, "\"orphan\"", 2), (done.Status, done.Result, done.Attempts));
        await Task.Delay(2500); // another sweep: nothing hands it back again
        Assert.Equal(1, TestJobs.Runs[orphanId]);
    }

    [Fact]
    public async Task An_attempt_whose_job_was_claimed_again_elsewhere_stops_and_leaves_the_row_to_the_new_attempt()
    {
        var tenant = await app.NewTenantAsync();
        Job job;
        using (var scope = app.Services.CreateScope())
            job = await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(tenant.OrgId, "test.until-cancelled", new { }, null, CancellationToken.None);
        await WaitAsync(app, job.Id, j => j.Status == JobStatus.Running && j.Progress > 0);

        // Another worker's claim, as after this one's heartbeats failed to arrive for the heartbeat timeout.
        using (var scope = app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Attempts, j => j.Attempts + 1).SetProperty(j => j.Progress, 0).SetProperty(j => j.HeartbeatAt, DateTimeOffset.UtcNow));
        for (var i = 0; i < 100 && !TestJobs.Stopped.ContainsKey(job.Id); i++) await Task.Delay(100);

        Assert.True(TestJobs.Stopped.ContainsKey(job.Id), "the superseded attempt still runs");
        await Task.Delay(500);
        var row = await WaitAsync(app, job.Id, _ => true);
        // Neither cancelled nor finished by the old attempt, and its progress no longer written.
        Assert.Equal((JobStatus.Running, 2, 0), (row.Status, row.Attempts, row.Progress));
        using (var scope = app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().Where(j => j.Id == job.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Cancelled));
    }

    private static async Task<Job> WaitAsync(ScanportApp host, Guid jobId, Func<Job, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            using var scope = host.Services.CreateScope();
            var job = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AsNoTracking().FirstAsync(j => j.Id == jobId);
            if (done(job)) return job;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {jobId} did not get there in 30 s");
    }
}
