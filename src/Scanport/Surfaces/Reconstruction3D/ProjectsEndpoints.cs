using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Projects;
using Scanport.Reconstruction.Colmap;

namespace Scanport.Surfaces.Reconstruction3D;

internal static class ProjectsEndpoints
{
    public static void MapReconProjects(this RouteGroupBuilder api)
    {
        api.MapGet("/projects", List).ProducesErrors(422).WithName("ReconListProjects").WithSummary("The current user's projects");
        api.MapPost("/projects", Create).RequireCaller(Permissions.MayCreateProject, Reconstruction3DErrors.Forbidden("Only admins and operators create projects")).WithName("ReconCreateProject").WithSummary("Create a project");
        api.MapGet("/projects/{id}", Get).WithName("ReconGetProject").WithSummary("A project");
        api.MapPut("/projects/{id}", Update).WithName("ReconUpdateProject").WithSummary("Update a project's name, description or archived status");
        api.MapDelete("/projects/{id}", Delete).WithName("ReconDeleteProject").WithSummary("Delete a project, its jobs and all its files");
        api.MapPost("/projects/{id}/start-reconstruction", StartReconstruction).ProducesErrors(409)
            .RequireRateLimiting(Reconstruction3DApi.StartLimit)
            .WithName("ReconStartReconstruction").WithSummary("Start a COLMAP reconstruction of the project's frames");
        api.MapGet("/projects/{id}/status", Status).WithName("ReconProjectStatus").WithSummary("Where the project's reconstruction stands");
    }

    public static async Task<Results<Ok<IReadOnlyList<ProjectModel>>, ErrorResult>> List(
        int? skip, int? limit, Caller caller, ScanportDb db, ReconProjects projects, CancellationToken ct)
    {
        var paging = new Reconstruction3DPaging(skip, limit);
        var errors = paging.Validate();
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        var page = await paging.Apply(db.Projects.VisibleTo(caller).OrderBy(p => p.Number)).ToListAsync(ct);
        return TypedResults.Ok(await projects.ModelsAsync(page, ct));
    }

    public static async Task<Results<Created<ProjectModel>, ErrorResult>> Create(
        ProjectRequest request, Caller caller, ScanportDb db, ReconProjects projects, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Text(request.Name, "name", required: true, 200, errors);
        var description = Text(request.Description, "description", required: false, 4000, errors);
        if (request.Status is { ValueKind: not JsonValueKind.Null }) errors["status"] = ["is set by the server; archive a project with PUT"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var now = clock.GetUtcNow();
        var project = new Project { OrgId = caller.OrgId, Name = name!, Description = description, CreatedBy = caller.Id, CreatedAt = now, UpdatedAt = now };
        project.Members.Add(new ProjectMember { ProjectId = project.Id, PrincipalId = caller.Id, AddedAt = now });
        var recon = new ReconProject { ProjectId = project.Id, UpdatedAt = now };
        db.AddRange(project, recon);
        await db.SaveChangesAsync(ct);
        var model = await projects.ModelAsync(new ReconProjectView(project, recon), ct);
        return TypedResults.Created($"projects/{project.Number}", model);
    }

    public static async Task<Results<Ok<ProjectModel>, ErrorResult>> Get(long id, Caller caller, ReconProjects projects, CancellationToken ct)
    {
        var view = await projects.FindAsync(caller, id, ct);
        return view is null ? new ErrorResult(Reconstruction3DErrors.ProjectNotFound) : TypedResults.Ok(await projects.ModelAsync(view, ct));
    }

    public static async Task<Results<Ok<ProjectModel>, ErrorResult>> Update(
        long id, ProjectRequest request, Caller caller, ScanportDb db, ReconProjects projects, CancellationToken ct)
    {
        var view = await projects.FindAsync(caller, id, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Change, view) is { } refused) return new ErrorResult(refused);
        var errors = new Dictionary<string, string[]>();
        var name = Text(request.Name, "name", required: false, 200, errors);
        var description = Text(request.Description, "description", required: false, 4000, errors);
        string? status = null;
        if (request.Status is { ValueKind: not JsonValueKind.Null } s)
        {
            status = s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            // The others follow from the project's jobs; a client may archive a project, or bring it back.
            if (status is not ("archived" or "draft")) errors["status"] = ["may be set to archived, or to draft to unarchive"];
        }
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        if (name is not null) view.Project.Name = name;
        if (request.Description is { ValueKind: JsonValueKind.Null }) view.Project.Description = null;
        else if (description is not null) view.Project.Description = description;
        if (status is not null) view.Recon.Archived = status == "archived";
        projects.Touch(view);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await projects.ModelAsync(view, ct));
    }

    public static async Task<Results<Ok<MessageModel>, ErrorResult>> Delete(
        long id, Caller caller, ReconProjects projects, ProjectDeletion deletion, CancellationToken ct)
    {
        var view = await projects.FindAsync(caller, id, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Delete, view) is { } refused) return new ErrorResult(refused);
        await deletion.DeleteAsync(view.Project, ct);
        return TypedResults.Ok(new MessageModel("Project deleted successfully"));
    }

    public static async Task<Results<Ok<JobStartedModel>, ErrorResult>> StartReconstruction(
        long id, [FromQuery] string? quality, Caller caller, ScanportDb db, ReconProjects projects, JobQueue queue, CancellationToken ct)
    {
        var preset = QualityPresets.Find(quality ?? "medium");
        if (preset is null) return new ErrorResult(Reconstruction3DErrors.Invalid("query.quality", "must be one of low, medium, high, extreme"));
        var view = await projects.FindAsync(caller, id, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Contribute, view) is { } refused) return new ErrorResult(refused);
        if (view.Recon.Archived) return new ErrorResult(Reconstruction3DErrors.BadRequest("The project is archived: unarchive it first"));
        if (view.Recon.TotalFrames < ReconstructionJob.MinimumFrames)
            return new ErrorResult(Reconstruction3DErrors.BadRequest(
                $"The project has {view.Recon.TotalFrames} frames; a reconstruction needs at least {ReconstructionJob.MinimumFrames}: upload a video and extract its frames, or upload photos"));
        var started = await ReconJobs.StartAsync(db, queue, view, caller, ReconJobTypes.Reconstruction,
            new ReconstructionParameters(preset.Name), ct);
        return started is null
            ? new ErrorResult(Reconstruction3DErrors.Conflict("A reconstruction of this project is already running"))
            : TypedResults.Ok(new JobStartedModel("Reconstruction started", started.Number, id, "pending"));
    }

    public static async Task<Results<Ok<ProjectStatusModel>, ErrorResult>> Status(long id, Caller caller, ReconProjects projects, ProjectFiles files, CancellationToken ct)
    {
        var view = await projects.FindAsync(caller, id, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        var status = await projects.StatusAsync(view, ct);
        var current = await projects.Jobs().Where(r => r.Recon.ProjectId == view.Project.Id).OrderByDescending(r => r.Recon.Number).FirstOrDefaultAsync(ct);
        var r = view.Recon;
        return TypedResults.Ok(new ProjectStatusModel(id, status, r.TotalFrames, r.ProcessedFrames, r.ReconstructionQuality, r.ProcessingTime,
            current is null ? null : ReconProjects.JobModel(current.Recon, current.Job, id),
            new ProjectFilesAvailable(r.VideoKey is not null, r.TotalFrames > 0, r.MeshKey is not null, r.TexturedMeshKey is not null, r.PointCloudKey is not null)));
    }

    /// <summary>A string field: absent, null or text of at most <paramref name="max"/> characters.</summary>
    private static string? Text(JsonElement? value, string field, bool required, int max, Dictionary<string, string[]> errors)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            if (required) errors[field] = ["field required"];
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            errors[field] = ["str type expected"];
            return null;
        }
        var text = v.GetString()!.Trim();
        if (required && text.Length == 0) errors[field] = ["must not be empty"];
        else if (text.Length > max) errors[field] = [$"must be at most {max} characters"];
        return text;
    }
}
