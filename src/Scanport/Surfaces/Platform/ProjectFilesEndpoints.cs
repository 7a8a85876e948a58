using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.Platform;

/// <summary>
/// A project's stored files whatever surface brought them (<see cref="IProjectFileSource"/>), and short-lived URLs
/// that read them straight from the object store (with <c>Range</c>), for members: what the console's viewers load.
/// </summary>
internal static class ProjectFilesEndpoints
{
    /// <summary>How long a file URL works: enough to start a download or a viewer's ranged reads, short enough to leak little.</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(15);

    public static void MapProjectFiles(this RouteGroupBuilder projects)
    {
        projects.MapGet("/{id:guid}/files", List).ProducesErrors(400).WithName("ListProjectFiles")
            .WithSummary("The project's stored files from every surface: snapshots' point clouds, reconstructions' point clouds, meshes and videos");
        projects.MapGet("/{id:guid}/files/{fileId}/url", Url).ProducesErrors(409).WithName("GetProjectFileUrl")
            .WithSummary("A URL that reads the file (Range honoured) for 15 minutes, without a token");
    }

    public static async Task<Results<Ok<Page<ProjectFileResponse>>, ErrorResult>> List(
        Guid id, [AsParameters] Paging paging, Caller caller, ScanportDb db, IEnumerable<IProjectFileSource> sources, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var project = await db.Projects.VisibleTo(caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return PlatformErrors.NotFound("Project");
        var files = await AllAsync(project, sources, ct);
        return TypedResults.Ok(new Page<ProjectFileResponse>(
            files.Skip(paging.Skip).Take(paging.Take).Select(ToResponse).ToList(), files.Count, paging.Take, paging.Skip));
    }

    public static async Task<Results<Ok<ProjectFileUrlResponse>, ErrorResult>> Url(
        Guid id, string fileId, Caller caller, ScanportDb db, IEnumerable<IProjectFileSource> sources, IObjectStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var project = await db.Projects.VisibleTo(caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return PlatformErrors.NotFound("Project");
        var file = (await AllAsync(project, sources, ct)).FirstOrDefault(f => f.Id == fileId);
        if (file is null) return PlatformErrors.NotFound("File");
        if (file.Key is null) return PlatformErrors.Conflict("The file is not uploaded yet");
        if (await store.HeadAsync(file.Bucket, file.Key, ct) is not { } stored) return PlatformErrors.Conflict("The file is not stored (yet, or any more)");
        var contentType = file.ContentType ?? stored.ContentType ?? "application/octet-stream";
        var name = DownloadName(file, stored.Key);
        var disposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = name }.ToString();
        var url = store.PresignGet(file.Bucket, file.Key, UrlLifetime, new ResponseOverrides(contentType, disposition));
        return TypedResults.Ok(new ProjectFileUrlResponse(url.ToString(), clock.GetUtcNow() + UrlLifetime, name, contentType, stored.Size));
    }

    private static async Task<List<ProjectFile>> AllAsync(Project project, IEnumerable<IProjectFileSource> sources, CancellationToken ct)
    {
        var all = new List<ProjectFile>();
        foreach (var source in sources) all.AddRange(await source.ListAsync(project, ct));
        return all.OrderByDescending(f => f.UpdatedAt).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The file's name with its stored key's extension (a snapshot named "Level 2" is "Level 2.laz").</summary>
    private static string DownloadName(ProjectFile file, string key)
    {
        var extension = Path.GetExtension(key);
        var name = file.Name.Trim();
        return name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) ? name : name + extension;
    }

    private static ProjectFileResponse ToResponse(ProjectFile f) =>
        new(f.Id, f.Kind, f.Name, f.Source, f.SourceId, f.Status, f.ContentType, f.Key is not null, f.UpdatedAt);
}
