using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>
/// Hangfire keeps process-wide statics (the activator, the log provider) that the last host to start overwrites.
/// Hosts in one process (the test suite, an in-place restart) must each run their jobs with their own services,
/// whichever of them started last or stopped first.
/// </summary>
public sealed class HostIsolationTests
{
    [Fact]
    public async Task Hosts_started_side_by_side_run_their_jobs_with_their_own_services_whichever_stops_first()
    {
        var nodes = (await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => ScanportApp.StartAsync(new Dictionary<string, string>()))))).ToList();
        try
        {
            while (nodes.Count > 0)
            {
                foreach (var node in nodes) await RunsAJobAsync(node);
                var last = nodes[^1];
                nodes.RemoveAt(nodes.Count - 1);
                await ((IAsyncLifetime)last).DisposeAsync();
            }
        }
        finally
        {
            foreach (var node in nodes) await ((IAsyncLifetime)node).DisposeAsync();
        }
    }

    private static async Task RunsAJobAsync(ScanportApp node)
    {
        var tenant = await node.NewTenantAsync();
        Job job;
        using (var scope = node.Services.CreateScope())
            job = await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(tenant.OrgId, "test.echo", new { side = "by side" }, null, CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            using var scope = node.Services.CreateScope();
            var row = await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AsNoTracking().FirstAsync(j => j.Id == job.Id);
            if (JobStatus.IsFinal(row.Status))
            {
                Assert.Equal((JobStatus.Succeeded, """{"side":"by side"}"""), (row.Status, row.Result));
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"job {job.Id} of a node that outlived another never ran");
    }
}
