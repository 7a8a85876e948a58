using Microsoft.Extensions.DependencyInjection;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>One active job per subject: a rule of the job queue, whichever surface asks.</summary>
[Collection(AppCollection.Name)]
public sealed class ExclusiveEnqueueTests(ScanportApp app)
{
    [Fact]
    public async Task Of_racing_exclusive_enqueues_of_one_subject_exactly_one_is_queued()
    {
        var tenant = await app.NewTenantAsync();
        var subject = $"test:{Guid.NewGuid()}";

        var started = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var scope = app.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<JobQueue>()
                .EnqueueExclusiveAsync(tenant.OrgId, "test.until-cancelled", new { }, subject, null, CancellationToken.None);
        })));

        var winner = Assert.Single(started, j => j is not null)!;
        using var check = app.Services.CreateScope();
        var queue = check.ServiceProvider.GetRequiredService<JobQueue>();
        Assert.Equal([winner.Id], queue.Active(subject).Select(j => j.Id).ToList());
        Assert.Null(await queue.EnqueueExclusiveAsync(tenant.OrgId, "test.until-cancelled", new { }, subject, null, CancellationToken.None));
        Assert.True(await queue.CancelAsync(tenant.OrgId, winner.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Once_the_subjects_job_has_ended_the_next_one_is_queued()
    {
        var tenant = await app.NewTenantAsync();
        var subject = $"test:{Guid.NewGuid()}";
        using var scope = app.Services.CreateScope();
        var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();

        var first = await queue.EnqueueExclusiveAsync(tenant.OrgId, "test.until-cancelled", new { }, subject, null, CancellationToken.None);
        Assert.NotNull(first);
        Assert.True(await queue.CancelAsync(tenant.OrgId, first.Id, CancellationToken.None));
        for (var i = 0; i < 100 && queue.Active(subject).Any(); i++) await Task.Delay(100);

        var second = await queue.EnqueueExclusiveAsync(tenant.OrgId, "test.until-cancelled", new { }, subject, null, CancellationToken.None);
        Assert.NotNull(second);
        Assert.True(await queue.CancelAsync(tenant.OrgId, second.Id, CancellationToken.None));
    }
}
