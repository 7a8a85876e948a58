using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Jobs;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>Starts a project's jobs, one at a time per project.</summary>
internal static class ReconJobs
{
    /// <summary>Queues a job of <paramref name="jobType"/> unless another job of the project is queued or running (null then).</summary>
    public static async Task<ReconJob?> StartAsync<TParameters>(
        ScanportDb db, JobQueue queue, ReconProjectView view, Caller caller, string jobType, TParameters parameters, CancellationToken ct)
        where TParameters : notnull
    {
        var projectId = view.Project.Id;
        var handler = jobType == ReconJobTypes.Reconstruction ? ReconJobTypes.ReconstructionHandler : ReconJobTypes.FrameExtractionHandler;
        ReconJob? recon = null;
        var job = await queue.EnqueueExclusiveAsync(caller.OrgId, handler, parameters, ReconJobTypes.Subject(projectId),
            job => db.Add(recon = new ReconJob { JobId = job.Id, ProjectId = projectId, JobType = jobType, Parameters = job.Payload }), ct);
        return job is null ? null : recon;
    }

    /// <summary>The type of the project's queued or running job, if any.</summary>
    public static Task<string?> ActiveAsync(ScanportDb db, Guid projectId, CancellationToken ct) =>
        ActiveJobs(db, projectId).Select(r => r.JobType).FirstOrDefaultAsync(ct);

    /// <summary>The 409 for new media while a job of the project runs (it reads the frames and the video); null when none runs.</summary>
    public static async Task<Http.ApiError?> BusyAsync(ScanportDb db, Guid projectId, CancellationToken ct) =>
        await ActiveAsync(db, projectId, ct) is { } active
            ? Reconstruction3DErrors.Conflict($"A {active} job of this project is running: wait for it or cancel it first")
            : null;

    private static IQueryable<ReconJob> ActiveJobs(ScanportDb db, Guid projectId) =>
        db.Set<ReconJob>().Where(r => r.ProjectId == projectId)
            .Where(r => db.Set<Job>().Any(j => j.Id == r.JobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running)));
}
