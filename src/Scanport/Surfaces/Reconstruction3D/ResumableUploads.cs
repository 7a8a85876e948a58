using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// Large videos and photos sent in pieces that survive a broken connection, through the tus protocol 1.0.0 (core,
/// creation, expiration and termination: https://tus.io/protocols/resumable-upload), which tus-js-client and the other
/// tus clients speak. Our addition to the surface: <c>POST /files/uploads</c> starts one for a project
/// (<c>Upload-Metadata</c> names <c>project_id</c> and <c>filename</c>), <c>HEAD</c> tells how far it got,
/// <c>PATCH</c> carries whole parts from there, and <c>POST /files/uploads/{id}/complete</c> hands the file to the
/// project through the same checks as <c>POST /files/upload/video</c>, with the same answer.
/// </summary>
internal static class ResumableUploads
{
    /// <summary>Our header on <c>OPTIONS</c>: each PATCH carries a whole number of parts of this size, or the rest of the file.</summary>
    public const string PartSizeHeader = "Scanport-Part-Size";
    /// <summary>S3's most parts of one multipart upload.</summary>
    public const int MaxParts = 10_000;

    private static ApiError UploadNotFound => Reconstruction3DErrors.NotFound("Upload not found: start a new one with POST /files/uploads");

    public static void MapReconResumableUploads(this RouteGroupBuilder api, Reconstruction3DOptions options)
    {
        api.MapMethods("/files/uploads", [HttpMethods.Options], Capabilities)
            .WithName("ReconUploadOptions").WithSummary("The resumable upload protocol's versions, extensions, size limit and part size");
        api.MapPost("/files/uploads", Start).DisableAntiforgery()
            .WithName("ReconUploadStart").WithSummary("Start a resumable upload (tus creation) of a video or photo for a project");
        api.MapMethods("/files/uploads/{upload_id}", [HttpMethods.Head], Offset)
            .WithName("ReconUploadOffset").WithSummary("How many bytes of a resumable upload are stored (Upload-Offset)");
        api.MapPatch("/files/uploads/{upload_id}", Append).DisableAntiforgery()
            .WithBodyLimit(options.MaxUploadBytes)
            .WithName("ReconUploadAppend").WithSummary("Send the next whole parts of a resumable upload from its offset");
        api.MapDelete("/files/uploads/{upload_id}", Terminate)
            .WithName("ReconUploadTerminate").WithSummary("Drop a resumable upload and the bytes stored for it");
        api.MapPost("/files/uploads/{upload_id}/complete", Complete).DisableAntiforgery()
            .WithName("ReconUploadComplete").WithSummary("Hand a finished resumable upload to its project, checked as POST /files/upload/video checks");
    }

    public static NoContent Capabilities(HttpContext context, IOptions<Reconstruction3DOptions> options)
    {
        var headers = context.Response.Headers;
        headers["Tus-Resumable"] = Tus.Version;
        headers["Tus-Version"] = Tus.Version;
        headers["Tus-Extension"] = "creation,expiration,termination";
        headers["Tus-Max-Size"] = options.Value.MaxUploadBytes.ToString(CultureInfo.InvariantCulture);
        headers[PartSizeHeader] = options.Value.UploadPartSize.ToString(CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created, ErrorResult>> Start(
        HttpContext context, Caller caller, ScanportDb db, ReconProjects projects, ProjectFiles files, IObjectStore store,
        IOptions<Reconstruction3DOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (Tus.Refusal(context) is { } wrongVersion) return wrongVersion;
        var request = context.Request.Headers;
        if (request.ContainsKey("Upload-Defer-Length"))
            return new ErrorResult(Reconstruction3DErrors.BadRequest("Send Upload-Length: an upload of a length not known yet is not supported"));
        if (!long.TryParse(request["Upload-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            return new ErrorResult(Reconstruction3DErrors.BadRequest("Upload-Length must be the file's size in bytes"));
        if (length == 0) return new ErrorResult(Reconstruction3DErrors.BadRequest("The file is empty"));
        if (length > options.Value.MaxUploadBytes) return new ErrorResult(FilesEndpoints.TooLarge(options.Value.MaxUploadBytes));
        if (Tus.ParseMetadata(request["Upload-Metadata"].ToString()) is not { } metadata)
            return new ErrorResult(Reconstruction3DErrors.BadRequest("Upload-Metadata must be comma-separated pairs of a key and its value in base64"));
        if (!metadata.TryGetValue("project_id", out var projectField)
            || !long.TryParse(projectField, NumberStyles.None, CultureInfo.InvariantCulture, out var projectNumber) || projectNumber < 1)
            return new ErrorResult(Reconstruction3DErrors.BadRequest("Upload-Metadata must name the project: project_id, its integer id"));

        var view = await projects.FindAsync(caller, projectNumber, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Contribute, view) is { } refused) return new ErrorResult(refused);
        if (await ReconJobs.BusyAsync(db, view.Project.Id, ct) is { } busy) return new ErrorResult(busy);

        var id = Guid.CreateVersion7();
        var key = $"{files.Root(view.Project.Id)}uploads/{id:N}";
        var now = clock.GetUtcNow();
        var upload = new ReconUpload
        {
            Id = id,
            ProjectId = view.Project.Id,
            CreatedBy = caller.Id,
            FileName = Truncate(metadata.GetValueOrDefault("filename") is { Length: > 0 } name ? name : "upload", 255),
            Length = length,
            PartSize = PartSizeFor(length, options.Value.UploadPartSize),
            StoreKey = key,
            StoreUploadId = await store.StartMultipartUploadAsync(files.Bucket, key, "application/octet-stream", ct),
            CreatedAt = now,
            ExpiresAt = now + options.Value.UploadLifetime,
        };
        db.Add(upload);
        await db.SaveChangesAsync(ct);
        Tus.Describe(context, upload);
        return TypedResults.Created($"{options.Value.BasePath.TrimEnd('/')}/files/uploads/{id:N}");
    }

    public static async Task<Results<Ok, ErrorResult>> Offset(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "upload_id")] string uploadId, Caller caller,
        ScanportDb db, ReconProjects projects, TimeProvider clock, CancellationToken ct)
    {
        if (Tus.Refusal(context) is { } wrongVersion) return wrongVersion;
        var (upload, _, refused) = await FindAsync(uploadId, caller, db, projects, clock, ct);
        if (refused is not null) return new ErrorResult(refused);
        context.Response.Headers.CacheControl = "no-store";
        Tus.Describe(context, upload!);
        return TypedResults.Ok();
    }

    public static async Task<Results<NoContent, ErrorResult>> Append(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "upload_id")] string uploadId, Caller caller,
        ScanportDb db, ReconProjects projects, ProjectFiles files, IObjectStore store, FormUploads scratch, TimeProvider clock,
        ILogger<ReconUpload> logger, CancellationToken ct)
    {
        if (Tus.Refusal(context) is { } wrongVersion) return wrongVersion;
        var (found, _, refused) = await FindAsync(uploadId, caller, db, projects, clock, ct);
        if (refused is not null) return new ErrorResult(refused);
        var upload = found!;
        if (!string.Equals(context.Request.ContentType, Tus.ChunkContentType, StringComparison.OrdinalIgnoreCase))
            return new ErrorResult(new ApiError(StatusCodes.Status415UnsupportedMediaType, $"Send the bytes as {Tus.ChunkContentType}", Code: "unsupported_media_type"));
        if (!long.TryParse(context.Request.Headers["Upload-Offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            return new ErrorResult(Reconstruction3DErrors.BadRequest("Upload-Offset must be the byte the body starts at"));
        if (offset != upload.Offset)
            return new ErrorResult(Reconstruction3DErrors.Conflict($"The upload has {upload.Offset} bytes stored: send from there (HEAD tells the offset)"));
        if (context.Request.ContentLength > upload.Length - offset)
            return new ErrorResult(Reconstruction3DErrors.BadRequest($"The body runs past the upload's length: {upload.Length - offset} bytes remain"));

        var temp = scratch.NewTempPath();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (offset < upload.Length)
            {
                var need = Math.Min(upload.PartSize, upload.Length - offset);
                long filled;
                try
                {
                    filled = await FillAsync(context.Request.Body, temp, need, buffer, ct);
                }
                catch (Exception e) when (e is IOException or BadHttpRequestException && !ct.IsCancellationRequested)
                {
                    // The body was cut short: the part it was filling is dropped, the ones before it are kept.
                    logger.LogInformation("Upload {Upload}: the body broke off at {Offset} ({Error})", upload.Id, offset, e.Message);
                    break;
                }
                if (filled < need)
                {
                    if (offset == upload.Offset && filled > 0)
                        return new ErrorResult(Reconstruction3DErrors.BadRequest(
                            $"Send whole parts of {upload.PartSize} bytes or the rest of the file: {filled} bytes make no part"));
                    break;
                }

                var part = (int)(offset / upload.PartSize) + 1;
                await using (var body = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
                    if (await store.UploadPartAsync(files.Bucket, upload.StoreKey, upload.StoreUploadId, part, body, need, ct) is null)
                        return new ErrorResult(UploadNotFound);
                // Whoever moves the offset first wins; a request racing this one for the same bytes stored the same part.
                var moved = await db.Set<ReconUpload>().Where(u => u.Id == upload.Id && u.Offset == offset)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.Offset, offset + need), ct);
                if (moved == 0) return new ErrorResult(Reconstruction3DErrors.Conflict("Another request carried this upload on: ask HEAD for its offset"));
                offset += need;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(temp);
        }
        upload.Offset = offset;
        Tus.Describe(context, upload);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ErrorResult>> Terminate(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "upload_id")] string uploadId, Caller caller,
        ScanportDb db, ReconProjects projects, ProjectFiles files, IObjectStore store, TimeProvider clock, CancellationToken ct)
    {
        if (Tus.Refusal(context) is { } wrongVersion) return wrongVersion;
        var (upload, _, refused) = await FindAsync(uploadId, caller, db, projects, clock, ct, expiredToo: true);
        if (refused is not null) return new ErrorResult(refused);
        await DropAsync(upload!, db, files, store, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UploadModel>, ErrorResult>> Complete(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "upload_id")] string uploadId, Caller caller, ScanportDb db, ReconProjects projects,
        ProjectFiles files, IObjectStore store, MediaIntake intake, FormUploads scratch, TimeProvider clock, CancellationToken ct)
    {
        var (found, view, refused) = await FindAsync(uploadId, caller, db, projects, clock, ct);
        if (refused is not null) return new ErrorResult(refused);
        var upload = found!;
        if (upload.Offset < upload.Length)
            return new ErrorResult(Reconstruction3DErrors.Conflict($"The upload has {upload.Offset} of {upload.Length} bytes: send the rest first"));
        if (await ReconJobs.BusyAsync(db, upload.ProjectId, ct) is { } busy) return new ErrorResult(busy);

        // Put together once; a complete sent again after a failure finds the object already whole.
        if (await store.ListUploadedPartsAsync(files.Bucket, upload.StoreKey, upload.StoreUploadId, ct) is { } parts)
            await store.CompleteMultipartUploadAsync(files.Bucket, upload.StoreKey, upload.StoreUploadId, parts, ct);
        var temp = scratch.NewTempPath();
        try
        {
            await using (var content = await files.GetAsync(upload.StoreKey, null, ct))
            {
                if (content is null)
                {
                    await DropAsync(upload, db, files, store, ct);
                    return new ErrorResult(UploadNotFound);
                }
                await using var copy = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await content.Body.CopyToAsync(copy, ct);
            }
            var answer = await intake.AcceptAsync(temp, upload.Length, upload.FileName, view!, ct);
            // A refused file is refused for good: another try would give the same answer. A job started meanwhile is not the file's fault.
            if (answer.Result is not ErrorResult { Error.Status: StatusCodes.Status409Conflict }) await DropAsync(upload, db, files, store, ct);
            return answer;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Drops the upload's row and whatever the store has of it (its parts, or the object they became).</summary>
    internal static async Task DropAsync(ReconUpload upload, ScanportDb db, ProjectFiles files, IObjectStore store, CancellationToken ct)
    {
        await store.AbortMultipartUploadAsync(files.Bucket, upload.StoreKey, upload.StoreUploadId, ct);
        await files.DeleteAsync(upload.StoreKey, ct);
        await db.Set<ReconUpload>().Where(u => u.Id == upload.Id).ExecuteDeleteAsync(ct);
    }

    /// <summary>The caller's own upload, in a project it may still add work to; another principal's is as absent as a missing one.</summary>
    private static async Task<(ReconUpload? Upload, ReconProjectView? View, ApiError? Refusal)> FindAsync(
        string uploadId, Caller caller, ScanportDb db, ReconProjects projects, TimeProvider clock, CancellationToken ct, bool expiredToo = false)
    {
        if (!Guid.TryParseExact(uploadId, "N", out var id)) return (null, null, UploadNotFound);
        var upload = await db.Set<ReconUpload>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.CreatedBy == caller.Id, ct);
        if (upload is null) return (null, null, UploadNotFound);
        var view = await projects.FindAsync(caller, upload.ProjectId, ct);
        if (view is null) return (null, null, UploadNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Contribute, view) is { } refused) return (null, null, refused);
        if (!expiredToo && upload.ExpiresAt <= clock.GetUtcNow())
            return (null, null, new ApiError(StatusCodes.Status410Gone, "The upload expired before it was finished: start a new one", Code: "gone"));
        return (upload, view, null);
    }

    /// <summary>Parts of at least the configured size, and few enough for S3's 10,000.</summary>
    public static long PartSizeFor(long length, long configured) => Math.Max(configured, (length + MaxParts - 1) / MaxParts);

    /// <summary>
    /// Copies up to <paramref name="count"/> bytes of <paramref name="body"/> into a new <paramref name="path"/>; the
    /// number copied, fewer when the body ended first.
    /// </summary>
    private static async Task<long> FillAsync(Stream body, string path, long count, byte[] buffer, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        long filled = 0;
        while (filled < count)
        {
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - filled)), ct);
            if (read == 0) break;
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            filled += read;
        }
        return filled;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
