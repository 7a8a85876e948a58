using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// <c>/files</c>: design files of projects. An upload is read to a temporary file (never memory), checked (size, a type the
/// cloud translates), then streamed to the project's bucket in 5 MiB signed parts; its status then follows its translation.
/// </summary>
internal static class FilesEndpoints
{
    public static void MapApsiFiles(this RouteGroupBuilder api, ApsIntegrationOptions options)
    {
        var files = api.MapGroup("/files");
        files.MapGet("/", List).ProducesErrors(422).WithName("ApsiListFiles").WithSummary("Design files of the caller's projects (paged, filtered, sortable)");
        files.MapPost("/", Upload).WithBodyLimit(options.MaxUploadBytes + FormUploads.EnvelopeAllowance).ProducesErrors(404, 413, 415, 422, 502)
            .WithName("ApsiUploadFile").WithSummary("Upload a design file to a project (multipart: file, project_id)");
        files.MapGet("/{file_id}", Get).ProducesErrors(404).WithName("ApsiGetFile").WithSummary("A file, its status and its model's metadata");
        files.MapDelete("/{file_id}", Delete).ProducesErrors(404).WithName("ApsiDeleteFile").WithSummary("Delete a file, its object and its translation");
    }

    private static readonly string[] Sortable = ["id", "name", "size", "status", "uploaded_at", "created_at", "translated_at"];

    public static async Task<Results<Ok<ApsiPage<FileModel>>, ErrorResult>> List(HttpRequest request, Caller caller, ScanportDb db, DesignFiles designs,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = ApsiPaging.Read(request, Sortable, "id", errors);
        long? projectNumber = null;
        if (ApsiPaging.Filter(request, "project_id") is { } projectText)
        {
            if (long.TryParse(projectText, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) projectNumber = n;
            else errors["query.project_id"] = ["value is not a valid integer"];
        }
        var status = ApsiPaging.Filter(request, "status");
        if (status is not (null or FileStatus.Uploaded or FileStatus.Translating or FileStatus.Ready or FileStatus.Failed))
            errors["query.status"] = ["must be uploaded, translating, ready or failed"];
        var search = ApsiPaging.Search(request, errors);
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var projects = db.Projects.VisibleTo(caller);
        if (projectNumber is { } number) projects = projects.Where(p => p.Number == number);
        var ids = projects.Select(p => p.Id);
        var query = db.Set<ApsiFile>().Where(f => ids.Contains(f.ProjectId));
        if (status is not null) query = query.Where(f => f.Status == status);
        if (search.Length > 0)
        {
            var term = search.ToLower();
            query = query.Where(f => f.ObjectKey.ToLower().Contains(term) || f.OriginalFilename.ToLower().Contains(term));
        }
        var total = await query.CountAsync(ct);
        query = (paging.Sort, paging.Descending) switch
        {
            ("name", false) => query.OrderBy(f => f.ObjectKey).ThenBy(f => f.Number),
            ("name", true) => query.OrderByDescending(f => f.ObjectKey).ThenByDescending(f => f.Number),
            ("size", false) => query.OrderBy(f => f.Size).ThenBy(f => f.Number),
            ("size", true) => query.OrderByDescending(f => f.Size).ThenByDescending(f => f.Number),
            ("status", false) => query.OrderBy(f => f.Status).ThenBy(f => f.Number),
            ("status", true) => query.OrderByDescending(f => f.Status).ThenByDescending(f => f.Number),
            ("translated_at", false) => query.OrderBy(f => f.TranslatedAt).ThenBy(f => f.Number),
            ("translated_at", true) => query.OrderByDescending(f => f.TranslatedAt).ThenByDescending(f => f.Number),
            // Files are numbered as they are uploaded: id order is upload order, without sorting on a date column.
            (_, true) => query.OrderByDescending(f => f.Number),
            _ => query.OrderBy(f => f.Number),
        };
        var page = await query.Skip(paging.Offset).Take(paging.Limit).ToListAsync(ct);
        await designs.RefreshAsync(page, caller.OrgId, ct);
        var numbers = await ProjectNumbersAsync(db, page, ct);
        return TypedResults.Ok(new ApsiPage<FileModel>([.. page.Select(f => FileModel.Of(f, numbers[f.ProjectId]))], total, paging.Limit, paging.Offset,
            paging.Offset + page.Count < total));
    }

    public static async Task<Results<Created<FileModel>, ErrorResult>> Upload(HttpContext context, Caller caller, ScanportDb db, DesignFiles designs,
        FormUploads uploads, IOptions<ApsIntegrationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var limit = options.Value.MaxUploadBytes;
        await using var upload = await uploads.ReadAsync(context.Request, "file", ["project_id"], limit, maxFieldLength: 32, ct);
        if (upload.Status == FormUploadStatus.TooLarge) return new ErrorResult(ApsiErrors.TooLarge(limit));
        if (upload.Status == FormUploadStatus.Malformed) return new ErrorResult(ApsiErrors.Unreadable);
        if (upload.Status == FormUploadStatus.NotMultipart)
            return new ErrorResult(ApiError.Validation(new Dictionary<string, string[]> { ["file"] = ["field required"], ["project_id"] = ["field required"] },
                "Send the file and project_id as multipart/form-data"));
        var errors = new Dictionary<string, string[]>();
        if (upload.FileName is null) errors["file"] = ["field required"];
        long projectNumber = 0;
        if (!upload.Fields.TryGetValue("project_id", out var projectField)) errors["project_id"] = ["field required"];
        else if (!long.TryParse(projectField, NumberStyles.None, CultureInfo.InvariantCulture, out projectNumber) || projectNumber < 1)
            errors["project_id"] = ["value is not a valid integer"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        var original = Path.GetFileName(upload.FileName!.Replace('\\', '/'));
        if (original.Length is 0 or > 255 || original.Any(char.IsControl)) return new ErrorResult(ApsiErrors.Invalid("file", "needs a file name of 1 to 255 characters"));
        if (upload.Size == 0) return new ErrorResult(ApsiErrors.Invalid("file", "the file is empty"));

        if (await ProjectsEndpoints.FindAsync(db, caller, projectNumber, ct) is not { } project) return new ErrorResult(ApsiErrors.ProjectNotFound);
        if (!caller.Allows(ProjectAction.Contribute, project)) return new ErrorResult(ProjectsEndpoints.ContributeRefused);
        var extension = DesignFiles.ExtensionOf(original);
        var supported = await designs.SupportedTypesAsync(caller.OrgId, ct);
        if (!supported.Contains(extension)) return new ErrorResult(ApsiErrors.TypeNotSupported(extension.Length == 0 ? "(none)" : extension, supported));

        var bucket = await designs.BucketOfAsync(project, ct);
        var client = await designs.EnsureCreatedAsync(bucket, ct);
        var objectKey = await designs.FreeObjectKeyAsync(bucket.BucketKey, original, ct);
        var stored = await DesignFiles.UploadAsync(client, bucket.BucketKey, objectKey, upload.Path, ContentTypeOf(extension), ct);
        var now = clock.GetUtcNow();
        var file = new ApsiFile
        {
            ProjectId = project.Id,
            BucketKey = bucket.BucketKey,
            ObjectKey = objectKey,
            OriginalFilename = original,
            Urn = stored.Urn,
            Size = upload.Size,
            ContentType = stored.ContentType ?? ContentTypeOf(extension),
            Sha1 = stored.Sha1,
            StatusAt = now,
            UploadedBy = caller.Id,
            UploadedAt = now,
        };
        db.Add(file);
        project.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"files/{file.Number}", FileModel.Of(file, project.Number));
    }

    public static async Task<Results<Ok<FileDetailModel>, ErrorResult>> Get(long file_id, Caller caller, ScanportDb db, DesignFiles designs, TenantClouds clouds,
        CancellationToken ct)
    {
        if (await FindAsync(db, caller, file_id, ct) is not { } found) return new ErrorResult(FileNotFound);
        var (file, project) = found;
        await designs.RefreshAsync([file], caller.OrgId, ct);
        FileMetadata? metadata = null;
        if (file.Status == FileStatus.Ready)
        {
            var client = await clouds.ForAsync(caller.OrgId, ct);
            var views = await client.Derivatives.ViewsAsync(file.Urn, ct);
            var main = DesignFiles.DefaultView(views);
            if (main is not null) metadata = new FileMetadata(main.Guid, "design", main.Name ?? Path.GetFileNameWithoutExtension(file.ObjectKey), "complete", main.Role);
        }
        var model = FileModel.Of(file, project.Number);
        return TypedResults.Ok(new FileDetailModel(model.Id, model.Name, model.OriginalFilename, model.Urn, model.ProjectId, model.Status, model.Size,
            model.UploadedAt, model.TranslatedAt, file.Status == FileStatus.Failed ? file.Error : null, metadata));
    }

    public static async Task<Results<NoContent, ErrorResult>> Delete(long file_id, Caller caller, ScanportDb db, TenantClouds clouds, CancellationToken ct)
    {
        if (await FindAsync(db, caller, file_id, ct) is not { } found) return new ErrorResult(FileNotFound);
        var (file, project) = found;
        if (!caller.Allows(ProjectAction.Change, project)) return new ErrorResult(ApsiErrors.Forbidden("Only admins and the project's creator delete its files"));
        var client = await clouds.ForAsync(project.OrgId, ct);
        await client.Derivatives.DeleteManifestAsync(file.Urn, ct);
        try
        {
            await client.Oss.DeleteObjectAsync(file.BucketKey, file.ObjectKey, ct);
        }
        catch (ApsCloudException e) when (e.Kind == ApsFailure.NotFound)
        {
            // Gone already.
        }
        db.Remove(file);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The multipart form read; a body cut short or malformed is the document's 422 (not a 500), and one Kestrel stops at
    /// its size limit (no Content-Length) is <c>FILE_TOO_LARGE</c>.
    /// </summary>

    /// <summary>A file of a project the caller sees; any other is not found.</summary>
    private static async Task<(ApsiFile File, Project Project)?> FindAsync(ScanportDb db, Caller caller, long number, CancellationToken ct)
    {
        var found = await db.Set<ApsiFile>().Where(f => f.Number == number)
            .Join(db.Projects.VisibleTo(caller), f => f.ProjectId, p => p.Id, (f, p) => new { File = f, Project = p })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : (found.File, found.Project);
    }

    private static async Task<Dictionary<Guid, long>> ProjectNumbersAsync(ScanportDb db, IReadOnlyCollection<ApsiFile> files, CancellationToken ct)
    {
        var ids = files.Select(f => f.ProjectId).Distinct().ToList();
        return await db.Projects.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Number, ct);
    }

    private static string ContentTypeOf(string extension) => extension switch
    {
        "ifc" => "application/x-step",
        "obj" => "model/obj",
        "stl" => "model/stl",
        "gltf" => "model/gltf+json",
        "glb" => "model/gltf-binary",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    };

    private static readonly ApiError FileNotFound = ApsiErrors.NotFound("File not found");
}

internal sealed record FileModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("original_filename")] string OriginalFilename,
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("uploaded_at")] DateTimeOffset UploadedAt,
    [property: JsonPropertyName("translated_at")] DateTimeOffset? TranslatedAt)
{
    public static FileModel Of(ApsiFile f, long projectNumber) =>
        new(f.Number, f.ObjectKey, f.OriginalFilename, f.Urn, projectNumber, f.Status, f.Size, f.UploadedAt, f.TranslatedAt);
}

internal sealed record FileDetailModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("original_filename")] string OriginalFilename,
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("uploaded_at")] DateTimeOffset UploadedAt,
    [property: JsonPropertyName("translated_at")] DateTimeOffset? TranslatedAt,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonPropertyName("metadata")] FileMetadata? Metadata);

internal sealed record FileMetadata(
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("progress")] string Progress,
    [property: JsonPropertyName("role")] string? Role);
