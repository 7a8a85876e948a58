using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary><c>--role</c> and <c>--queues</c>: what a process of a cluster runs.</summary>
[Collection(AppCollection.Name)]
public sealed class RolesTests(ScanportApp app)
{
    private static bool RunsHangfireServer(ScanportApp node) =>
        node.Services.GetServices<IHostedService>().Any(s => s.GetType().FullName!.StartsWith("Hangfire.", StringComparison.Ordinal));

    [Fact]
    public async Task An_api_node_runs_no_worker_and_a_worker_node_takes_only_its_queues()
    {
        Assert.True(RunsHangfireServer(app));

        await using (var api = await app.StartAnotherNodeAsync(new Dictionary<string, string> { ["Jobs:Role"] = "api" }))
        {
            Assert.False(RunsHangfireServer(api));
            using var client = api.Client();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        }

        await using var worker = await app.StartAnotherNodeAsync(new Dictionary<string, string> { ["Jobs:Role"] = "worker", ["Jobs:Queues"] = "ingest" });
        Assert.True(RunsHangfireServer(worker));
        var options = worker.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        Assert.Equal(["ingest"], options.QueueList(["ingest", "default"]));
    }

    [Fact]
    public void Queues_default_to_every_known_queue() =>
        Assert.Equal(["ingest", "default"], new JobsOptions().QueueList(["ingest", "default"]));
}
