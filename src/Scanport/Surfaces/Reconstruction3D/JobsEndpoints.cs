using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Projects;

namespace Scanport.Surfaces.Reconstruction3D;

internal static class JobsEndpoints
{
    public static void MapReconJobs(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs", List).WithName("ReconListJobs").WithSummary("Processing jobs of your projects, newest first, with filters");
        api.MapGet("/jobs/{id}", Get).WithName("ReconGetJob").WithSummary("A processing job");
        api.MapPost("/jobs/{id}/cancel", Cancel).WithName("ReconCancelJob").WithSummary("Cancel a queued or running job (its processes are killed)");
        api.MapGet("/jobs/{id}/logs", Logs).WithName("ReconJobLogs").WithSummary("A job's log lines, COLMAP's and ffmpeg's output included");
        api.MapGet("/jobs/project/{project_id}/status", ProjectStatus).WithName("ReconProjectJobsStatus").WithSummary("The status of all jobs of a project");
    }

    public static async Task<Results<Ok<IReadOnlyList<JobModel>>, ErrorResult>> List(
        [FromQuery(Name = "project_id")] long? projectId, string? status, [FromQuery(Name = "job_type")] string? jobType, int? skip, int? limit,
        Caller caller, ScanportDb db, ReconProjects projects, CancellationToken ct)
    {
        var paging = new Reconstruction3DPaging(skip, limit);
        var errors = paging.Validate();
        var jobStatus = status is null ? null : ReconJobStatus.ToJobStatus(status);
        if (status is not null && jobStatus is null) errors["query.status"] = [$"must be one of {string.Join(", ", ReconJobStatus.All)}"];
        if (jobType is not null && !ReconJobTypes.IsKnown(jobType)) errors["query.job_type"] = ["must be frame_extraction or reconstruction"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var visible = db.Projects.VisibleTo(caller);
        if (projectId is not null) visible = visible.Where(p => p.Number == projectId);
        var query = projects.Jobs().Join(visible, r => r.Recon.ProjectId, p => p.Id, (r, p) => new { r.Recon, r.Job, p.Number });
        if (jobStatus is not null) query = query.Where(x => x.Job.Status == jobStatus);
        if (jobType is not null) query = query.Where(x => x.Recon.JobType == jobType);
        var page = await paging.Apply(query.OrderByDescending(x => x.Recon.Number)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<JobModel>>(page.Select(x => ReconProjects.JobModel(x.Recon, x.Job, x.Number)).ToList());
    }

    public static async Task<Results<Ok<JobModel>, ErrorResult>> Get(long id, Caller caller, ScanportDb db, ReconProjects projects, CancellationToken ct)
    {
        var found = await FindAsync(id, caller, db, projects, ct);
        return found is null ? new ErrorResult(Reconstruction3DErrors.JobNotFound) : TypedResults.Ok(ReconProjects.JobModel(found.Recon, found.Job, found.ProjectNumber));
    }

    public static async Task<Results<Ok<JobModel>, ErrorResult>> Cancel(
        long id, Caller caller, ScanportDb db, ReconProjects projects, JobQueue queue, CancellationToken ct)
    {
        var found = await FindAsync(id, caller, db, projects, ct);
        if (found is null) return new ErrorResult(Reconstruction3DErrors.JobNotFound);
        if (!Permissions.May(caller, ProjectAction.Contribute, null)) return new ErrorResult(Reconstruction3DErrors.Forbidden("Reviewers cannot cancel jobs"));
        if (JobStatus.IsFinal(found.Job.Status))
            return new ErrorResult(Reconstruction3DErrors.BadRequest($"The job is already {ReconJobStatus.Of(found.Job.Status)}"));
        await queue.CancelAsync(found.Job.OrgId, found.Job.Id, ct);
        var job = await db.Set<Job>().AsNoTracking().FirstAsync(j => j.Id == found.Job.Id, ct);
        return TypedResults.Ok(ReconProjects.JobModel(found.Recon, job, found.ProjectNumber));
    }

    public static async Task<Results<Ok<JobLogsModel>, ErrorResult>> Logs(long id, Caller caller, ScanportDb db, ReconProjects projects, CancellationToken ct)
    {
        var found = await FindAsync(id, caller, db, projects, ct);
        if (found is null) return new ErrorResult(Reconstruction3DErrors.JobNotFound);
        var lines = found.Job.Logs.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return TypedResults.Ok(new JobLogsModel(id, ReconJobStatus.Of(found.Job.Status), lines));
    }

    public static async Task<Results<Ok<ProjectJobsStatusModel>, ErrorResult>> ProjectStatus(
        [FromRoute(Name = "project_id")] long projectId, Caller caller, ReconProjects projects, CancellationToken ct)
    {
        var view = await projects.FindAsync(caller, projectId, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        var rows = await projects.Jobs().Where(r => r.Recon.ProjectId == view.Project.Id).OrderByDescending(r => r.Recon.Number).ToListAsync(ct);
        var jobs = rows.Select(r => ReconProjects.JobModel(r.Recon, r.Job, projectId)).ToList();
        var byStatus = ReconJobStatus.All.ToDictionary(s => s, s => jobs.Count(j => j.Status == s));
        return TypedResults.Ok(new ProjectJobsStatusModel(projectId, await projects.StatusAsync(view, ct), jobs.Count,
            byStatus["pending"] + byStatus["running"], byStatus, jobs.FirstOrDefault(), jobs));
    }

    private sealed record Found(ReconJob Recon, Job Job, long ProjectNumber);

    private static async Task<Found?> FindAsync(long id, Caller caller, ScanportDb db, ReconProjects projects, CancellationToken ct)
    {
        var row = await projects.Jobs().Where(r => r.Recon.Number == id)
            .Join(db.Projects.VisibleTo(caller), r => r.Recon.ProjectId, p => p.Id, (r, p) => new { r.Recon, r.Job, p.Number })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : new Found(row.Recon, row.Job, row.Number);
    }
}
