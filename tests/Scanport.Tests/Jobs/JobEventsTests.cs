using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>Jobs keep each job's events, numbered, for a while: a reader that went away resumes after the last id it saw.</summary>
[Collection(AppCollection.Name)]
public sealed class JobEventsTests(ScanportApp app)
{
    private async Task<Job> RunAsync(Guid orgId, string subject)
    {
        Job job;
        using (var scope = app.Services.CreateScope())
            job = await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(orgId, "test.echo", new { }, subject, CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            using var scope = app.Services.CreateScope();
            var events = scope.ServiceProvider.GetRequiredService<JobEvents>();
            if ((await events.ReadAfterAsync(subject, 0, 100, CancellationToken.None)).Any(e => e.JobId == job.Id && e.Type == "job_completed")) return job;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {job.Id} did not complete in 20 s");
    }

    [Fact]
    public async Task A_subjects_events_are_kept_in_order_and_replayed_after_an_id()
    {
        var tenant = await app.NewTenantAsync();
        var subject = $"test:{Guid.NewGuid()}";
        var first = await RunAsync(tenant.OrgId, subject);
        var second = await RunAsync(tenant.OrgId, subject);

        using var scope = app.Services.CreateScope();
        var events = scope.ServiceProvider.GetRequiredService<JobEvents>();
        var all = await events.ReadAfterAsync(subject, 0, 100, CancellationToken.None);
        Assert.Equal([(first.Id, "job_started"), (first.Id, "job_completed"), (second.Id, "job_started"), (second.Id, "job_completed")],
            all.Select(e => (e.JobId, e.Type)).ToList());
        Assert.Equal(all.Select(e => e.Id).Order(), all.Select(e => e.Id));
        Assert.All(all, e => Assert.Equal((tenant.OrgId, subject), (e.OrgId, e.Subject)));

        Assert.Equal(all.Skip(1).Select(e => e.Id), (await events.ReadAfterAsync(subject, all[0].Id, 100, CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(all.Skip(1).Take(2).Select(e => e.Id), (await events.ReadAfterAsync(subject, all[0].Id, 2, CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(all[^1].Id, await events.LatestIdAsync(subject, CancellationToken.None));
        Assert.Equal(0, await events.LatestIdAsync($"test:{Guid.NewGuid()}", CancellationToken.None));
    }

    [Fact]
    public async Task Events_past_their_retention_are_deleted_when_a_job_ends()
    {
        var tenant = await app.NewTenantAsync();
        var subject = $"test:{Guid.NewGuid()}";
        StoredJobEvent old;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var longAgo = TimeProvider.System.GetUtcNow().AddDays(-30);
            var oldJob = new Job { OrgId = tenant.OrgId, Type = "test.echo", Queue = "default", Subject = subject, Status = JobStatus.Succeeded, CreatedAt = longAgo };
            old = new StoredJobEvent { JobId = oldJob.Id, OrgId = tenant.OrgId, Subject = subject, Type = "job_completed", CreatedAt = longAgo };
            db.AddRange(oldJob, old);
            await db.SaveChangesAsync();
        }

        var job = await RunAsync(tenant.OrgId, subject);

        // The job's last event is stored just before the pruning that follows it.
        List<StoredJobEvent> kept = [];
        for (var i = 0; i < 50 && (i == 0 || kept.Any(e => e.Id == old.Id)); i++)
        {
            await Task.Delay(100);
            using var check = app.Services.CreateScope();
            kept = await check.ServiceProvider.GetRequiredService<ScanportDb>().Set<StoredJobEvent>().Where(e => e.Subject == subject).ToListAsync();
        }
        Assert.DoesNotContain(kept, e => e.Id == old.Id);
        Assert.Contains(kept, e => e.JobId == job.Id && e.Type == "job_completed");
    }
}
