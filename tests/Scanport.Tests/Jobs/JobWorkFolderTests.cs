using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>Each attempt has its own work folder, gone when the attempt ends, whatever the outcome.</summary>
[Collection(AppCollection.Name)]
public sealed class JobWorkFolderTests(ScanportApp app)
{
    [Theory]
    [InlineData(false, JobStatus.Succeeded)]
    [InlineData(true, JobStatus.Failed)]
    public async Task A_jobs_work_folder_is_deleted_when_the_attempt_ends(bool fail, string status)
    {
        var tenant = await app.NewTenantAsync();
        Job job;
        using (var scope = app.Services.CreateScope())
        {
            object payload = fail ? new { fail = true } : new { };
            job = await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(tenant.OrgId, "test.uses-work-folder", payload, null, CancellationToken.None);
        }

        Job? done = null;
        for (var i = 0; i < 200 && done is null; i++)
        {
            await Task.Delay(100);
            using var scope = app.Services.CreateScope();
            var row = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AsNoTracking().FirstAsync(j => j.Id == job.Id);
            if (JobStatus.IsFinal(row.Status)) done = row;
        }

        Assert.Equal(status, done?.Status);
        var folder = TestJobs.WorkFolders[job.Id];
        Assert.EndsWith(job.Id.ToString("N"), folder);
        Assert.False(Directory.Exists(folder));
    }
}
