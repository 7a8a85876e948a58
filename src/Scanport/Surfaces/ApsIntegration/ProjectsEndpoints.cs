using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary><c>/projects</c>: the platform's projects, each with an OSS bucket of its own and its design files.</summary>
internal static class ProjectsEndpoints
{
    public static void MapApsiProjects(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects");
        projects.MapGet("/", List).ProducesErrors(422).WithName("ApsiListProjects").WithSummary("The caller's projects (paged, searchable, sortable)");
        projects.MapPost("/", Create).RequireCaller(Permissions.MayCreateProject, ApsiErrors.Forbidden("Only admins and operators create projects"))
            .ProducesErrors(422, 502).WithName("ApsiCreateProject").WithSummary("Create a project and its bucket");
        projects.MapGet("/{project_id}", Get).ProducesErrors(404).WithName("ApsiGetProject").WithSummary("A project and its files");
        projects.MapPut("/{project_id}", Update).ProducesErrors(404, 422).WithName("ApsiUpdateProject").WithSummary("Rename a project or change its description");
        projects.MapDelete("/{project_id}", Delete).ProducesErrors(404).WithName("ApsiDeleteProject")
            .WithSummary("Delete a project, its files, their translations and its bucket");
    }

    public static readonly ApiError ContributeRefused = ApsiErrors.Forbidden("Reviewers cannot add work to a project");
    private static readonly ApiError ChangeRefused = ApsiErrors.Forbidden("Only admins and the project's creator change or delete it");
    private static readonly string[] Sortable = ["id", "name", "created_at", "updated_at"];

    public static async Task<Results<Ok<ApsiPage<ProjectModel>>, ErrorResult>> List(HttpRequest request, Caller caller, ScanportDb db, DesignFiles files,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = ApsiPaging.Read(request, Sortable, "id", errors);
        var search = ApsiPaging.Search(request, errors);
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var query = db.Projects.VisibleTo(caller);
        if (search.Length > 0)
        {
            var term = search.ToLower();
            query = query.Where(p => p.Name.ToLower().Contains(term) || (p.Description != null && p.Description.ToLower().Contains(term)));
        }
        var total = await query.CountAsync(ct);
        query = (paging.Sort, paging.Descending) switch
        {
            ("name", false) => query.OrderBy(p => p.Name).ThenBy(p => p.Number),
            ("name", true) => query.OrderByDescending(p => p.Name).ThenByDescending(p => p.Number),
            ("created_at", false) => query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Number),
            ("created_at", true) => query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Number),
            ("updated_at", false) => query.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Number),
            ("updated_at", true) => query.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Number),
            (_, true) => query.OrderByDescending(p => p.Number),
            _ => query.OrderBy(p => p.Number),
        };
        var page = await query.Skip(paging.Offset).Take(paging.Limit).ToListAsync(ct);
        var items = new List<ProjectModel>(page.Count);
        foreach (var project in page) items.Add(await ModelAsync(project, db, files, ct));
        return TypedResults.Ok(new ApsiPage<ProjectModel>(items, total, paging.Limit, paging.Offset, paging.Offset + items.Count < total));
    }

    public static async Task<Results<Created<ProjectModel>, ErrorResult>> Create(ProjectRequest request, Caller caller, ScanportDb db, DesignFiles files,
        ProjectDeletion deletion, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["field required"];
        else if (name.Length > 200) errors["name"] = ["must be at most 200 characters"];
        else if (ApsiText.HasNul(name)) errors["name"] = ["must not contain NUL characters"];
        if (request.Description is { Length: > 4000 }) errors["description"] = ["must be at most 4000 characters"];
        else if (ApsiText.HasNul(request.Description)) errors["description"] = ["must not contain NUL characters"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var now = clock.GetUtcNow();
        var project = new Project { OrgId = caller.OrgId, Name = name!, Description = request.Description?.Trim(), CreatedBy = caller.Id, CreatedAt = now, UpdatedAt = now };
        project.Members.Add(new ProjectMember { ProjectId = project.Id, PrincipalId = caller.Id, AddedAt = now });
        db.Add(project);
        await db.SaveChangesAsync(ct);
        // The bucket is made now: a cloud that fails says so at once, and the project is not left behind for a retry to duplicate.
        try
        {
            await files.EnsureCreatedAsync(await files.BucketOfAsync(project, ct), ct);
        }
        catch (Exception e) when (e is ApsCloud.ApsCloudException or OperationCanceledException)
        {
            await deletion.DeleteAsync(project, CancellationToken.None);
            throw;
        }
        return TypedResults.Created($"projects/{project.Number}", await ModelAsync(project, db, files, ct));
    }

    public static async Task<Results<Ok<ProjectModel>, ErrorResult>> Get(long project_id, Caller caller, ScanportDb db, DesignFiles files, CancellationToken ct)
    {
        if (await FindAsync(db, caller, project_id, ct) is not { } project) return new ErrorResult(ApsiErrors.ProjectNotFound);
        var list = await db.Set<ApsiFile>().Where(f => f.ProjectId == project.Id).OrderBy(f => f.Number).ToListAsync(ct);
        await files.RefreshAsync(list, caller.OrgId, ct);
        var model = await ModelAsync(project, db, files, ct);
        return TypedResults.Ok(model with { Files = [.. list.Select(f => new ProjectFileModel(f.Number, f.ObjectKey, f.Urn, f.Status, f.UploadedAt))] });
    }

    public static async Task<Results<Ok<ProjectModel>, ErrorResult>> Update(long project_id, ProjectRequest request, Caller caller, ScanportDb db,
        DesignFiles files, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(db, caller, project_id, ct) is not { } project) return new ErrorResult(ApsiErrors.ProjectNotFound);
        if (!caller.Allows(ProjectAction.Change, project)) return new ErrorResult(ChangeRefused);
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (request.Name is not null && name!.Length == 0) errors["name"] = ["may not be empty"];
        else if (name is { Length: > 200 }) errors["name"] = ["must be at most 200 characters"];
        else if (ApsiText.HasNul(name)) errors["name"] = ["must not contain NUL characters"];
        if (request.Description is { Length: > 4000 }) errors["description"] = ["must be at most 4000 characters"];
        else if (ApsiText.HasNul(request.Description)) errors["description"] = ["must not contain NUL characters"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        if (name is not null) project.Name = name;
        if (request.Description is not null) project.Description = request.Description.Trim();
        project.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ModelAsync(project, db, files, ct));
    }

    public static async Task<Results<NoContent, ErrorResult>> Delete(long project_id, Caller caller, ScanportDb db, ProjectDeletion deletion, CancellationToken ct)
    {
        if (await FindAsync(db, caller, project_id, ct) is not { } project) return new ErrorResult(ApsiErrors.ProjectNotFound);
        if (!caller.Allows(ProjectAction.Delete, project)) return new ErrorResult(ChangeRefused);
        await deletion.DeleteAsync(project, ct);
        return TypedResults.NoContent();
    }

    /// <summary>A project the caller sees; another organization's, or one it is not a member of, is not found.</summary>
    public static Task<Project?> FindAsync(ScanportDb db, Caller caller, long number, CancellationToken ct) =>
        db.Projects.VisibleTo(caller).FirstOrDefaultAsync(p => p.Number == number, ct);

    private static async Task<ProjectModel> ModelAsync(Project project, ScanportDb db, DesignFiles files, CancellationToken ct)
    {
        var bucket = await files.BucketOfAsync(project, ct);
        var count = await db.Set<ApsiFile>().CountAsync(f => f.ProjectId == project.Id, ct);
        return new ProjectModel(project.Number, project.Name, project.Description, bucket.BucketKey, project.CreatedAt, project.UpdatedAt, count);
    }
}

internal sealed record ProjectRequest([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("description")] string? Description);

/// <summary>A project as the document shows it; <c>files</c> only when one project is read.</summary>
internal sealed record ProjectModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("bucket_key")] string BucketKey,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("files_count")] int FilesCount)
{
    [JsonPropertyName("files"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProjectFileModel>? Files { get; init; }
}

internal sealed record ProjectFileModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("uploaded_at")] DateTimeOffset UploadedAt);
