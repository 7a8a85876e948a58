using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Platform;

internal static class ProjectsEndpoints
{
    public static void MapProjects(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapPost("/", Create).WithName("CreateProject").WithSummary("Create a project (admins and operators); the creator becomes a member");
        projects.MapGet("/", List).WithName("ListProjects").WithSummary("List the projects you can see");
        projects.MapGet("/{id:guid}", Get).WithName("GetProject").WithSummary("Get a project");
        projects.MapPatch("/{id:guid}", Update).RequireAuthorization(IdentityModule.AdminPolicy).WithName("UpdateProject").WithSummary("Change a project");
        projects.MapDelete("/{id:guid}", Delete).RequireAuthorization(IdentityModule.AdminPolicy).WithName("DeleteProject").WithSummary("Delete a project");
        projects.MapPost("/{id:guid}/members", AddMember).RequireAuthorization(IdentityModule.AdminPolicy).WithName("AddProjectMember").WithSummary("Add a member");
        projects.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMember).RequireAuthorization(IdentityModule.AdminPolicy).WithName("RemoveProjectMember").WithSummary("Remove a member");
    }

    public static async Task<Results<Created<ProjectResponse>, ValidationProblem, ProblemHttpResult>> Create(
        ProjectRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        if (caller.Role is not (Roles.Admin or Roles.Operator)) return Problems.Forbidden("Only admins and operators create projects");
        var errors = await Validate(request, caller, db, creating: true, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var now = clock.GetUtcNow();
        var members = new HashSet<Guid>(request.MemberIds ?? []);
        if (caller.UserId is { } creator) members.Add(creator);
        var project = new Project
        {
            OrgId = caller.OrgId,
            Name = request.Name!.Trim(),
            Description = request.Description,
            CloudOnly = request.CloudOnly ?? false,
            CreatedBy = caller.UserId,
            CreatedAt = now,
            UpdatedAt = now,
            Members = members.Select(m => new ProjectMember { UserId = m, AddedAt = now }).ToList(),
        };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{PlatformApi.BasePath}/projects/{project.Id}", ToResponse(project));
    }

    public static async Task<Results<Ok<Page<ProjectResponse>>, ValidationProblem>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        return TypedResults.Ok(await paging.ApplyAsync(db.Projects.VisibleTo(caller).OrderByDescending(p => p.Number)
            .Select(p => new ProjectResponse(p.Id, p.OrgId, p.Name, p.Description, p.CloudOnly,
                p.Members.Select(m => m.UserId).ToList(), p.CreatedAt, p.UpdatedAt)), ct));
    }

    public static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Get(Guid id, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).AsNoTracking().Include(p => p.Members).FirstOrDefaultAsync(p => p.Id == id, ct);
        return project is null ? Problems.NotFound("Project") : TypedResults.Ok(ToResponse(project));
    }

    public static async Task<Results<Ok<ProjectResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, ProjectRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var project = await db.Projects.Include(p => p.Members).FirstOrDefaultAsync(p => p.Id == id && p.OrgId == caller.OrgId, ct);
        if (project is null) return Problems.NotFound("Project");
        var errors = await Validate(request, caller, db, creating: false, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (request.Name is not null) project.Name = request.Name.Trim();
        if (request.Description is not null) project.Description = request.Description;
        if (request.CloudOnly is { } cloudOnly) project.CloudOnly = cloudOnly;
        if (request.MemberIds is { } memberIds)
        {
            var now = clock.GetUtcNow();
            project.Members.RemoveAll(m => !memberIds.Contains(m.UserId));
            foreach (var userId in memberIds.Distinct().Where(u => project.Members.All(m => m.UserId != u)))
                project.Members.Add(new ProjectMember { ProjectId = project.Id, UserId = userId, AddedAt = now });
        }
        project.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(project));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, Caller caller, ScanportDb db, CancellationToken ct) =>
        await db.Projects.Where(p => p.Id == id && p.OrgId == caller.OrgId).ExecuteDeleteAsync(ct) == 0
            ? Problems.NotFound("Project")
            : TypedResults.NoContent();

    public static async Task<Results<Ok<ProjectResponse>, ValidationProblem, ProblemHttpResult>> AddMember(
        Guid id, MemberRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var project = await db.Projects.Include(p => p.Members).FirstOrDefaultAsync(p => p.Id == id && p.OrgId == caller.OrgId, ct);
        if (project is null) return Problems.NotFound("Project");
        if (request.UserId is not { } userId || !await db.Users.AnyAsync(u => u.Id == userId && u.OrgId == caller.OrgId, ct))
            return Problems.Invalid("user_id", "must be a user of your organization");
        if (project.Members.All(m => m.UserId != userId))
        {
            project.Members.Add(new ProjectMember { ProjectId = project.Id, UserId = userId, AddedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(ToResponse(project));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(Guid id, Guid userId, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (!await db.Projects.AnyAsync(p => p.Id == id && p.OrgId == caller.OrgId, ct)) return Problems.NotFound("Project");
        return await db.ProjectMembers.Where(m => m.ProjectId == id && m.UserId == userId).ExecuteDeleteAsync(ct) == 0
            ? Problems.NotFound("Member")
            : TypedResults.NoContent();
    }

    private static async Task<Dictionary<string, string[]>> Validate(ProjectRequest r, Caller caller, ScanportDb db, bool creating, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = r.Name?.Trim();
        if (creating || r.Name is not null)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = ["is required (1 to 200 characters)"];
        }
        if (r.Description is { Length: > 4000 }) errors["description"] = ["must be at most 4000 characters"];
        if (r.MemberIds is { Count: > 0 } ids)
        {
            var distinct = ids.Distinct().ToList();
            if (distinct.Count > 1000 || await db.Users.CountAsync(u => u.OrgId == caller.OrgId && distinct.Contains(u.Id), ct) != distinct.Count)
                errors["member_ids"] = ["every id must be a user of your organization (at most 1000)"];
        }
        return errors;
    }

    private static ProjectResponse ToResponse(Project p) =>
        new(p.Id, p.OrgId, p.Name, p.Description, p.CloudOnly, p.Members.Select(m => m.UserId).ToList(), p.CreatedAt, p.UpdatedAt);
}
