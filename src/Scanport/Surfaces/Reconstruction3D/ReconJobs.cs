using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Jobs;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>Starts a project's jobs, one at a time per project.</summary>
internal static class ReconJobs
{
    /// <summary>
    /// Queues a job of <paramref name="jobType"/> unless another job of the project is queued or running (null then). Two
    /// racing starts both write their rows; the later one sees the earlier, deletes its own and reports the conflict.
    /// </summary>
    public static async Task<ReconJob?> StartAsync(
        ScanportDb db, JobQueue queue, ReconProjectView view, Caller caller, string jobType, string parameters, CancellationToken ct)
    {
        var projectId = view.Project.Id;
        if (await ActiveAsync(db, projectId, ct) is not null) return null;
        var handler = jobType == ReconJobTypes.Reconstruction ? ReconJobTypes.ReconstructionHandler : ReconJobTypes.FrameExtractionHandler;
        var job = queue.Add(caller.OrgId, handler, parameters, ReconJobTypes.Subject(projectId));
        var recon = new ReconJob { JobId = job.Id, ProjectId = projectId, JobType = jobType, Parameters = parameters };
        db.Add(recon);
        await db.SaveChangesAsync(ct);

        var first = await ActiveJobs(db, projectId).OrderBy(r => r.Number).Select(r => r.Number).FirstAsync(ct);
        if (first != recon.Number)
        {
            await db.Set<Job>().Where(j => j.Id == job.Id).ExecuteDeleteAsync(CancellationToken.None);
            return null;
        }
        queue.Dispatch(job);
        return recon;
    }

    /// <summary>The type of the project's queued or running job, if any.</summary>
    public static Task<string?> ActiveAsync(ScanportDb db, Guid projectId, CancellationToken ct) =>
        ActiveJobs(db, projectId).Select(r => r.JobType).FirstOrDefaultAsync(ct);

    private static IQueryable<ReconJob> ActiveJobs(ScanportDb db, Guid projectId) =>
        db.Set<ReconJob>().Where(r => r.ProjectId == projectId)
            .Where(r => db.Set<Job>().Any(j => j.Id == r.JobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running)));
}
