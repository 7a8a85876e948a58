using Scanport.ApsCloud;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Surfaces.Aps.ModelDerivative;
using Scanport.Surfaces.Aps.Oss;
using static Scanport.Tests.Surfaces.Aps.ModelDerivativeCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>Translations as durable jobs: what they tell the derivative event sinks (the webhooks), and a restart.</summary>
[Collection(AppCollection.Name)]
public sealed class ModelDerivativeJobTests(ScanportApp app)
{
    [Fact]
    public async Task A_translation_tells_the_sinks_its_progress_and_its_end_with_the_jobs_workflow()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("tetrahedron.stl");
        var job = new
        {
            input = new { urn },
            output = new { formats = new[] { new { type = "svf2", views = new[] { "3d" } } } },
            misc = new { workflow = "wf-md-test", workflowAttribute = new { projectId = "p-42" } },
        };

        await md.SdkAsync(urn, ["job", "wait"], job);

        var events = DerivativeEventRecorder.Events.Where(e => e.Urn == urn).ToList();
        Assert.All(events, e => Assert.Equal((md.Client.Tenant.OrgId, "wf-md-test", "svf2"), (e.OrgId, e.Workflow, e.OutputType)));
        Assert.All(events, e => Assert.Equal("p-42", e.WorkflowAttribute?["projectId"]?.GetValue<string>()));
        var updates = events.Where(e => e.Event == DerivativeEvent.Updated).ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, e => Assert.Equal("inprogress", e.Status));
        Assert.All(updates, e => Assert.EndsWith("% complete", e.Progress));
        var finished = Assert.Single(events, e => e.Event == DerivativeEvent.Finished);
        Assert.Equal(("success", "complete"), (finished.Status, finished.Progress));
        Assert.Equal(events[^1], finished);
    }

    [Fact]
    public async Task A_translation_queued_before_a_restart_is_run_by_the_restarted_node()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("pyramid.ply");
        await QueueUndispatchedAsync(md, urn, "pyramid.ply");

        await using var restarted = await app.StartAnotherNodeAsync();
        // Tokens name their issuer, the node's own address when none is configured: the restarted node issues its own.
        var client = md.Client with { App = restarted };
        var token = (await client.TwoLeggedAsync(AllScopes)).GetProperty("access_token").GetString()!;
        var (report, _) = await (md with { Client = client, Token = token }).SdkAsync(urn, ["wait"]);

        Assert.Equal("success", report.GetProperty("manifest").GetProperty("status").GetString());
        Assert.Equal("svf2", report.GetProperty("manifest").GetProperty("derivatives")[0].GetProperty("outputType").GetString());
    }

    [Fact]
    public async Task While_a_design_is_translated_its_tree_properties_and_derivatives_answer_202()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("tetrahedron.stl");
        var (job, guid) = await QueueUndispatchedAsync(md, urn, "tetrahedron.stl");
        using var client = app.Client(md.Token);
        const string Base = "/modelderivative/v2/designdata";

        foreach (var path in new[] { $"metadata/{guid}", $"metadata/{guid}/properties" })
        {
            var processing = await (await client.GetAsync($"{Base}/{urn}/{path}")).Status(System.Net.HttpStatusCode.Accepted);
            Assert.Equal("success", processing.GetProperty("result").GetString());
        }
        var manifest = await (await client.GetAsync($"{Base}/{urn}/manifest")).Status(System.Net.HttpStatusCode.OK);
        Assert.Equal(("pending", "0% complete"), (manifest.GetProperty("status").GetString(), manifest.GetProperty("progress").GetString()));
        var glb = Uri.EscapeDataString($"urn:adsk.viewing:fs.file:{urn}/output/model.glb");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Base}/{urn}/manifest/{glb}"))).StatusCode);

        using (var scope = app.Services.CreateScope()) scope.ServiceProvider.GetRequiredService<JobQueue>().Dispatch(job);
        var (report, _) = await md.SdkAsync(urn, ["wait"]);
        Assert.Equal("success", report.GetProperty("manifest").GetProperty("status").GetString());
    }

    /// <summary>What POST /job saves, as a node that died before handing the job to a worker left it: the job and the model view's guid.</summary>
    private async Task<(Job Job, string ViewGuid)> QueueUndispatchedAsync(ModelDerivativeCalls md, string urn, string objectKey)
    {
        var source = ApsUrns.ObjectId(md.BucketKey, objectKey);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var generation = Guid.CreateVersion7();
        var queued = scope.ServiceProvider.GetRequiredService<JobQueue>()
            .Add(md.Client.Tenant.OrgId, "aps_translation", new { SourceId = source, Generation = generation }, source);
        db.DerivativeManifests.Add(new DerivativeManifest
        {
            OrgId = md.Client.Tenant.OrgId,
            SourceId = source,
            Urn = urn,
            Generation = generation,
            JobId = queued.Id,
            Status = "pending",
            OutputTypes = "svf2",
            Region = "US",
            SourceName = objectKey,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return (queued, DerivativeFiles.Guid(generation, "view"));
    }
}
