using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Projects;
using Scanport.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>A job of this surface that fails for good shows it on the job and the project, with the reason in its log.</summary>
[Collection(AppCollection.Name)]
public sealed class JobFailureTests(ScanportApp app)
{
    private const string Base = ReconCalls.Base;

    [Fact]
    public async Task An_extraction_whose_worker_died_on_its_last_attempt_fails_and_total_frames_counts_what_is_stored()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        foreach (var frame in Directory.GetFiles(Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30"), "frame_*.jpg").Order().Take(3))
            await (await client.UploadAsync(id, frame, Path.GetFileName(frame), "image/jpeg")).Status(HttpStatusCode.OK);
        long number;
        using (var scope = app.Services.CreateScope())
        {
            // What a last attempt killed while it replaced the frames leaves: one frame gone, the row running, its heartbeat stale.
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var files = scope.ServiceProvider.GetRequiredService<ProjectFiles>();
            var project = await db.Projects.FirstAsync(p => p.Number == id);
            await foreach (var o in files.ListAsync(files.FramesPrefix(project.Id), CancellationToken.None))
            {
                await files.DeleteAsync(o.Key, CancellationToken.None);
                break;
            }
            var stale = TimeProvider.System.GetUtcNow().AddMinutes(-5);
            var parameters = """{"interval":0.5,"max_frames":300}""";
            var job = new Job
            {
                OrgId = project.OrgId,
                Type = ReconJobTypes.FrameExtractionHandler,
                Queue = "frames",
                Payload = parameters,
                Subject = ReconJobTypes.Subject(project.Id),
                Status = JobStatus.Running,
                Attempts = 3,
                CreatedAt = stale,
                StartedAt = stale,
                HeartbeatAt = stale,
            };
            var recon = new ReconJob { JobId = job.Id, ProjectId = project.Id, JobType = ReconJobTypes.FrameExtraction, Parameters = parameters };
            db.AddRange(job, recon);
            await db.SaveChangesAsync();
            number = recon.Number;
        }

        await using var restarted = await app.StartAnotherNodeAsync();
        var failed = await client.WaitForJobAsync(number, TimeSpan.FromSeconds(60));

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("worker stopped", failed.GetProperty("error_message").GetString());
        var shown = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal(("failed", 2), (shown.GetProperty("status").GetString(), shown.GetProperty("total_frames").GetInt32()));
        var logs = await (await client.GetAsync($"{Base}/jobs/{number}/logs")).Status(HttpStatusCode.OK);
        Assert.Contains("failed: The job's worker stopped", logs.GetRawText());
    }
}
