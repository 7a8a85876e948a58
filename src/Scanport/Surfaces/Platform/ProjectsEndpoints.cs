using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.Platform;

internal static class ProjectsEndpoints
{
    public static void MapProjects(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapPost("/", Create).RequireCaller(Permissions.MayCreateProject, PlatformErrors.NotACreator).WithName("CreateProject").WithSummary("Create a project (admins and operators); the creator becomes a member");
        projects.MapGet("/", List).ProducesErrors(400).WithName("ListProjects").WithSummary("List the projects you can see");
        projects.MapGet("/{id:guid}", Get).WithName("GetProject").WithSummary("Get a project");
        projects.MapPatch("/{id:guid}", Update).WithName("UpdateProject").WithSummary("Change a project (admins, and the operator who created it)");
        projects.MapDelete("/{id:guid}", Delete).WithName("DeleteProject").WithSummary("Delete a project with everything attached (admins, and the operator who created it)");
        projects.MapPost("/{id:guid}/members", AddMember).WithName("AddProjectMember").WithSummary("Add a member: a user, an API key or a device (admins)");
        projects.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMember).WithName("RemoveProjectMember").WithSummary("Remove a member (admins)");
        projects.MapProjectFiles();
    }


    public static async Task<Results<Created<ProjectResponse>, ErrorResult>> Create(
        ProjectRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = await Validate(request, caller, db, creating: true, ct);
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        var now = clock.GetUtcNow();
        var members = new HashSet<Guid>(request.MemberIds ?? []) { caller.Id };
        var project = new Project
        {
            OrgId = caller.OrgId,
            Name = request.Name!.Trim(),
            Description = request.Description,
            CloudOnly = request.CloudOnly ?? false,
            CreatedBy = caller.Id,
            CreatedAt = now,
            UpdatedAt = now,
            Members = members.Select(m => new ProjectMember { PrincipalId = m, AddedAt = now }).ToList(),
        };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{PlatformApi.BasePath}/projects/{project.Id}", ToResponse(project));
    }

    public static async Task<Results<Ok<Page<ProjectResponse>>, ErrorResult>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var page = await paging.ApplyAsync(db.Projects.VisibleTo(caller).OrderByDescending(p => p.Number)
            .Select(p => new { p.Number, p.Id, p.OrgId, p.Name, p.Description, p.CloudOnly, Members = p.Members.Select(m => m.PrincipalId).ToList(), p.CreatedAt, p.UpdatedAt }), ct);
        return TypedResults.Ok(page.Map(p => new ProjectResponse(p.Id, p.OrgId, p.Name, p.Description, p.CloudOnly, p.Members, p.CreatedAt, p.UpdatedAt,
            p.Number, ProjectIds.ToObjectId(p.Number, p.CreatedAt))));
    }

    public static async Task<Results<Ok<ProjectResponse>, ErrorResult>> Get(Guid id, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).AsNoTracking().Include(p => p.Members).FirstOrDefaultAsync(p => p.Id == id, ct);
        return project is null ? PlatformErrors.NotFound("Project") : TypedResults.Ok(ToResponse(project));
    }

    public static async Task<Results<Ok<ProjectResponse>, ErrorResult>> Update(
        Guid id, ProjectRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).Include(p => p.Members).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return PlatformErrors.NotFound("Project");
        if (!caller.Allows(ProjectAction.Change, project)) return PlatformErrors.Forbidden("Only admins and the project's creator change it");
        if (request.MemberIds is not null && !caller.Allows(ProjectAction.ManageMembers, project))
            return PlatformErrors.Forbidden("Only admins change a project's members");
        var errors = await Validate(request, caller, db, creating: false, ct);
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        if (request.Name is not null) project.Name = request.Name.Trim();
        if (request.Description is not null) project.Description = request.Description;
        if (request.CloudOnly is { } cloudOnly) project.CloudOnly = cloudOnly;
        if (request.MemberIds is { } memberIds)
        {
            var now = clock.GetUtcNow();
            project.Members.RemoveAll(m => !memberIds.Contains(m.PrincipalId));
            foreach (var principal in memberIds.Distinct().Where(u => project.Members.All(m => m.PrincipalId != u)))
                project.Members.Add(new ProjectMember { ProjectId = project.Id, PrincipalId = principal, AddedAt = now });
        }
        project.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(project));
    }

    public static async Task<Results<NoContent, ErrorResult>> Delete(
        Guid id, Caller caller, ScanportDb db, ProjectDeletion deletion, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return PlatformErrors.NotFound("Project");
        if (!caller.Allows(ProjectAction.Delete, project)) return PlatformErrors.Forbidden("Only admins and the project's creator delete it");
        await deletion.DeleteAsync(project, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ProjectResponse>, ErrorResult>> AddMember(
        Guid id, MemberRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).Include(p => p.Members).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return PlatformErrors.NotFound("Project");
        if (!caller.Allows(ProjectAction.ManageMembers, project)) return PlatformErrors.Forbidden("Only admins change a project's members");
        if (request.UserId is not { } principal || !await ProjectAccess.ArePrincipalsOfAsync(db, caller.OrgId, [principal], ct))
            return PlatformErrors.Invalid("user_id", "must be a user, API key or device of your organization");
        if (project.Members.All(m => m.PrincipalId != principal))
        {
            project.Members.Add(new ProjectMember { ProjectId = project.Id, PrincipalId = principal, AddedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(ToResponse(project));
    }

    public static async Task<Results<NoContent, ErrorResult>> RemoveMember(Guid id, Guid userId, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return PlatformErrors.NotFound("Project");
        if (!caller.Allows(ProjectAction.ManageMembers, project)) return PlatformErrors.Forbidden("Only admins change a project's members");
        return await db.ProjectMembers.Where(m => m.ProjectId == id && m.PrincipalId == userId).ExecuteDeleteAsync(ct) == 0
            ? PlatformErrors.NotFound("Member")
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
            if (distinct.Count > 1000 || !await ProjectAccess.ArePrincipalsOfAsync(db, caller.OrgId, distinct, ct))
                errors["member_ids"] = ["every id must be a user, API key or device of your organization (at most 1000)"];
        }
        return errors;
    }

    private static ProjectResponse ToResponse(Project p) =>
        new(p.Id, p.OrgId, p.Name, p.Description, p.CloudOnly, p.Members.Select(m => m.PrincipalId).ToList(), p.CreatedAt, p.UpdatedAt,
            p.Number, ProjectIds.ToObjectId(p.Number, p.CreatedAt));
}
