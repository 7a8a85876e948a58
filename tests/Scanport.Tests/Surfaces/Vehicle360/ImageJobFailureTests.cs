using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Jobs;
using Scanport.Surfaces.Vehicle360;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>An image whose <c>images</c> job gives up (a bug, a worker that died each time) ends failed with the job's reason.</summary>
[Collection(AppCollection.Name)]
public sealed class ImageJobFailureTests(ScanportApp app)
{
    [Fact]
    public async Task An_image_whose_job_gives_up_ends_failed_with_the_reason()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(await tenant.SiteAsync());
        var presign = await admin.PresignAsync(session.Id(), [0xFF, 0xD8, 0xFF]);
        var imageId = presign.GetProperty("image_id").GetGuid();

        await TellFinalFailureAsync(tenant.OrgId, imageId, "The job's worker stopped (a crash or a kill) during its last attempt, after 3 attempts");

        var image = await (await admin.GetAsync($"/v1/images/{imageId}")).Status(HttpStatusCode.OK);
        Assert.Equal("failed", image.GetProperty("status").GetString());
        Assert.Equal("processing failed: The job's worker stopped (a crash or a kill) during its last attempt, after 3 attempts", image.GetProperty("failure_reason").GetString());
    }

    private async Task TellFinalFailureAsync(Guid orgId, Guid imageId, string error)
    {
        using var scope = app.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IJobHandler>().Single(h => h.Type == ImageProcessingJob.JobType);
        var job = new Job { OrgId = orgId, Type = ImageProcessingJob.JobType, Queue = handler.Queue, Payload = System.Text.Json.JsonSerializer.Serialize(ImageProcessingJob.Payload(imageId)) };
        await handler.OnFinalFailureAsync(new JobContext(job, (_, _) => Task.CompletedTask, _ => Task.CompletedTask), error, CancellationToken.None);
    }
}
