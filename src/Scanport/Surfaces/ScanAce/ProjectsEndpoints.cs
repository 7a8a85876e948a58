using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.ScanAce;

internal static class ProjectsEndpoints
{
    public static void MapScanAceProjects(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/me/projects", List).ProducesErrors(400).WithName("ScanAceListProjects").WithSummary("Projects the caller is a member of");
        api.MapGet("/projects/{projectId}", Get).WithName("ScanAceGetProject").WithSummary("A project by its id");
    }

    public static async Task<Results<Ok<GenericResponse<List<ProjectModel>>>, ErrorResult>> List(
        [AsParameters] ScanAcePaging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var visible = db.Projects.VisibleTo(caller);
        var total = await visible.CountAsync(ct);
        var rows = await visible.OrderBy(p => p.Number).Skip(paging.Skip).Take(paging.L)
            .Select(p => new { p.Number, p.CreatedAt, p.Name }).ToListAsync(ct);
        return ScanAceResults.Data(rows.Select(p => new ProjectModel(ProjectIds.ToObjectId(p.Number, p.CreatedAt), p.Name)).ToList(), paging.Of(total));
    }

    public static async Task<Results<Ok<GenericResponse<ProjectModel>>, ErrorResult>> Get(
        string projectId, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var project = await FindAsync(db, caller, projectId, ct);
        return project is null ? new ErrorResult(ScanAceErrors.ProjectNotFound) : ScanAceResults.Data(new ProjectModel(projectId, project.Name));
    }

    /// <summary>The project behind an ObjectId, if the caller may see it (another organization's is simply not found).</summary>
    public static async Task<Project?> FindAsync(ScanportDb db, Caller caller, string objectId, CancellationToken ct)
    {
        if (ProjectIds.NumberFromObjectId(objectId) is not { } number) return null;
        var project = await db.Projects.VisibleTo(caller).AsNoTracking().FirstOrDefaultAsync(p => p.Number == number, ct);
        // The id also carries the creation time: a guessed number with the wrong time is not this project.
        return project is not null && ProjectIds.ToObjectId(project.Number, project.CreatedAt) == objectId ? project : null;
    }
}
