using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Projects;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>The two kinds of job this surface runs, by the names its clients see and the handlers' types.</summary>
internal static class ReconJobTypes
{
    public const string FrameExtraction = "frame_extraction";
    public const string Reconstruction = "reconstruction";

    public const string FrameExtractionHandler = "recon.frame_extraction";
    public const string ReconstructionHandler = "recon.reconstruction";

    public static string Subject(Guid projectId) => $"recon:{projectId}";

    public static bool IsKnown(string? type) => type is FrameExtraction or Reconstruction;
}

/// <summary>Job states as the document's clients know them (a FastAPI app's <c>pending</c> … <c>completed</c>).</summary>
internal static class ReconJobStatus
{
    public static readonly string[] All = ["pending", "running", "completed", "failed", "cancelled"];

    public static string Of(string status) => status switch
    {
        JobStatus.Queued => "pending",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "completed",
        JobStatus.Failed => "failed",
        _ => "cancelled",
    };

    public static string? ToJobStatus(string status) => status switch
    {
        "pending" => JobStatus.Queued,
        "running" => JobStatus.Running,
        "completed" => JobStatus.Succeeded,
        "failed" => JobStatus.Failed,
        "cancelled" => JobStatus.Cancelled,
        _ => null,
    };
}

/// <summary>A job of this surface with its platform row.</summary>
internal sealed class ReconJobRow
{
    public required ReconJob Recon { get; init; }
    public required Job Job { get; init; }
}

/// <summary>A project with its reconstruction data, as a caller may see it.</summary>
internal sealed record ReconProjectView(Project Project, ReconProject Recon);

/// <summary>Finds the caller's projects by their integer ids and presents them, with the status their jobs give.</summary>
internal sealed class ReconProjects(ScanportDb db, TimeProvider clock)
{
    /// <summary>The project numbered <paramref name="number"/> if the caller may see it (another user's is as absent as a missing one).</summary>
    public async Task<ReconProjectView?> FindAsync(Caller caller, long number, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).FirstOrDefaultAsync(p => p.Number == number, ct);
        if (project is null) return null;
        return new ReconProjectView(project, await SideOfAsync(project, ct));
    }

    /// <summary>The project with id <paramref name="id"/> if the caller may see it.</summary>
    public async Task<ReconProjectView?> FindAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return null;
        return new ReconProjectView(project, await SideOfAsync(project, ct));
    }

    /// <summary>The answer for a caller who may see the project but not do <paramref name="action"/> to it; null when it may.</summary>
    public static ApiError? Refusal(Caller caller, ProjectAction action, ReconProjectView view) =>
        caller.Allows(action, view.Project) ? null : action switch
        {
            ProjectAction.Contribute => Reconstruction3DErrors.Forbidden("Reviewers cannot add work to a project"),
            _ => Reconstruction3DErrors.Forbidden("Only admins and the project's creator change or delete it"),
        };

    /// <summary>The project's reconstruction row, made on first use (projects created elsewhere in the platform have none yet).</summary>
    public async Task<ReconProject> SideOfAsync(Project project, CancellationToken ct)
    {
        var recon = await db.Set<ReconProject>().FirstOrDefaultAsync(r => r.ProjectId == project.Id, ct);
        if (recon is not null) return recon;
        recon = new ReconProject { ProjectId = project.Id, UpdatedAt = project.UpdatedAt };
        db.Add(recon);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Made by a concurrent request first.
            db.Entry(recon).State = EntityState.Detached;
            recon = await db.Set<ReconProject>().FirstAsync(r => r.ProjectId == project.Id, ct);
        }
        return recon;
    }

    public async Task<IReadOnlyList<ProjectModel>> ModelsAsync(IReadOnlyList<Project> projects, CancellationToken ct)
    {
        var ids = projects.Select(p => p.Id).ToList();
        var sides = await db.Set<ReconProject>().AsNoTracking().Where(r => ids.Contains(r.ProjectId)).ToDictionaryAsync(r => r.ProjectId, ct);
        var statuses = await StatusesAsync(ids, ct);
        return projects.Select(p =>
        {
            var recon = sides.GetValueOrDefault(p.Id) ?? new ReconProject { ProjectId = p.Id, UpdatedAt = p.UpdatedAt };
            return Model(p, recon, ProjectStatus(recon, statuses.GetValueOrDefault(p.Id)));
        }).ToList();
    }

    public async Task<ProjectModel> ModelAsync(ReconProjectView view, CancellationToken ct)
    {
        var statuses = await StatusesAsync([view.Project.Id], ct);
        return Model(view.Project, view.Recon, ProjectStatus(view.Recon, statuses.GetValueOrDefault(view.Project.Id)));
    }

    public async Task<string> StatusAsync(ReconProjectView view, CancellationToken ct) =>
        ProjectStatus(view.Recon, (await StatusesAsync([view.Project.Id], ct)).GetValueOrDefault(view.Project.Id));

    /// <summary>The project's jobs, newest first, with their rows.</summary>
    public IQueryable<ReconJobRow> Jobs() =>
        db.Set<ReconJob>().Join(db.Set<Job>(), r => r.JobId, j => j.Id, (r, j) => new ReconJobRow { Recon = r, Job = j });

    public static JobModel JobModel(ReconJob recon, Job job, long projectNumber) => new(
        recon.Number, projectNumber, recon.JobType, ReconJobStatus.Of(job.Status), job.Progress,
        recon.Stage, ParseJson(recon.Parameters) ?? EmptyObject,
        job.Status == JobStatus.Succeeded ? ParseJson(job.Result) : null,
        job.Error, job.Attempts, job.CreatedAt, job.StartedAt, job.FinishedAt);

    public void Touch(ReconProjectView view)
    {
        var now = clock.GetUtcNow();
        view.Project.UpdatedAt = now;
        view.Recon.UpdatedAt = now;
    }

    /// <summary>
    /// <c>archived</c> when archived; <c>processing</c> while a job is queued or running; <c>failed</c> when the latest
    /// job failed; <c>completed</c> once a reconstruction has produced its files; else <c>draft</c>.
    /// </summary>
    private static string ProjectStatus(ReconProject recon, (bool Active, string? LatestFinal) jobs) =>
        recon.Archived ? "archived"
        : jobs.Active ? "processing"
        : jobs.LatestFinal == JobStatus.Failed ? "failed"
        : recon.PointCloudKey is not null ? "completed"
        : "draft";

    private async Task<Dictionary<Guid, (bool Active, string? LatestFinal)>> StatusesAsync(List<Guid> projectIds, CancellationToken ct)
    {
        var rows = await db.Set<ReconJob>().Where(r => projectIds.Contains(r.ProjectId))
            .Join(db.Set<Job>(), r => r.JobId, j => j.Id, (r, j) => new { r.ProjectId, r.Number, j.Status })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.ProjectId).ToDictionary(g => g.Key, g => (
            g.Any(r => r.Status is JobStatus.Queued or JobStatus.Running),
            g.Where(r => JobStatus.IsFinal(r.Status)).OrderByDescending(r => r.Number).Select(r => r.Status).FirstOrDefault()));
    }

    private static ProjectModel Model(Project p, ReconProject r, string status) => new(
        p.Number, p.Name, p.Description, status, r.TotalFrames, r.ProcessedFrames, r.ReconstructionQuality, r.ProcessingTime,
        p.CreatedAt, r.UpdatedAt > p.UpdatedAt ? r.UpdatedAt : p.UpdatedAt);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static JsonElement? ParseJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
