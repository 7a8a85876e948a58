using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Media;
using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// Media in (a video or photos, streamed to disk and then to the object store, never held in memory; checked by their
/// content, videos with ffprobe, photos with <see cref="FrameUploads"/>), frame extraction, downloads with HTTP ranges, and the project's file list.
/// </summary>
internal static class FilesEndpoints
{
    public static readonly string[] FileTypes = ["video", "frames", "mesh", "textured_mesh", "point_cloud"];

    public static void MapReconFiles(this RouteGroupBuilder api, Reconstruction3DOptions options)
    {
        api.MapPost("/files/upload/video", Upload)
            .DisableAntiforgery()
            // The multipart envelope (boundaries, the project_id field) rides above the file's own limit.
            .WithBodyLimit(options.MaxUploadBytes + FormUploads.EnvelopeAllowance)
            .WithName("ReconUploadVideo").WithSummary("Upload a video (MP4, AVI, MOV, MKV) or a photo (JPG, PNG, TIFF) to a project");
        api.MapPost("/files/extract-frames", ExtractFrames).DisableAntiforgery()
            .WithName("ReconExtractFrames").WithSummary("Extract frames from the project's video at an interval in seconds");
        api.MapGet("/files/download/{project_id}/{file_type}", Download)
            .WithName("ReconDownload").WithSummary("Download a project file: video, frames (zip), mesh, textured_mesh or point_cloud");
        api.MapGet("/files/list/{project_id}", List).WithName("ReconListFiles").WithSummary("Every file of a project");
    }

    public static async Task<Results<Ok<UploadModel>, ErrorResult>> Upload(
        HttpContext context, Caller caller, ReconProjects projects, MediaIntake intake, FormUploads uploads,
        IOptions<Reconstruction3DOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxUploadBytes;
        await using var upload = await uploads.ReadAsync(context.Request, "file", ["project_id"], limit, maxFieldLength: 64, ct);
        if (upload.Status == FormUploadStatus.TooLarge) return new ErrorResult(TooLarge(limit));
        if (upload.Status == FormUploadStatus.Malformed)
            return new ErrorResult(Reconstruction3DErrors.Invalid("file", "the multipart body could not be read: it is cut short or malformed"));
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
        if (upload.Size == 0) return new ErrorResult(Reconstruction3DErrors.BadRequest("The file is empty"));

        var view = await projects.FindAsync(caller, projectNumber, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Contribute, view) is { } refused) return new ErrorResult(refused);
        return await intake.AcceptAsync(upload.Path, upload.Size, upload.FileName!, view, ct);
    }

    public static async Task<Results<Ok<JobStartedModel>, ErrorResult>> ExtractFrames(
        HttpContext context, Caller caller, ScanportDb db, ReconProjects projects, JobQueue queue,
        IOptions<Reconstruction3DOptions> options, CancellationToken ct)
    {
        var form = await ReadFieldsAsync(context, ct);
        if (form is null)
            return new ErrorResult(ApiError.Validation(new Dictionary<string, string[]> { ["project_id"] = ["field required"], ["interval"] = ["field required"] },
                "Send project_id and interval as form data"));
        var errors = new Dictionary<string, string[]>();
        var projectNumber = FormLong(form, "project_id", required: true, errors);
        double interval = 1;
        if (form.TryGetValue("interval", out var intervalText) && intervalText.ToString().Length > 0)
        {
            if (!double.TryParse(intervalText.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out interval) || !double.IsFinite(interval))
                errors["interval"] = ["value is not a valid number"];
            else if (interval is < 0.01 or > 3600) errors["interval"] = ["must be between 0.01 and 3600 seconds"];
        }
        else errors["interval"] = ["field required"];
        var maxFrames = FormLong(form, "max_frames", required: false, errors) ?? options.Value.MaxFrames;
        if (maxFrames is < 1 or > FrameExtractionOptions.FrameLimit && !errors.ContainsKey("max_frames"))
            errors["max_frames"] = [$"must be between 1 and {FrameExtractionOptions.FrameLimit}"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var view = await projects.FindAsync(caller, projectNumber!.Value, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        if (ReconProjects.Refusal(caller, ProjectAction.Contribute, view) is { } refused) return new ErrorResult(refused);
        if (view.Recon.VideoKey is null || view.Recon.VideoInfoJson is null)
            return new ErrorResult(Reconstruction3DErrors.BadRequest("No video uploaded for this project: upload one first"));
        var video = JsonSerializer.Deserialize<VideoInfo>(view.Recon.VideoInfoJson)!;
        var extraction = new FrameExtractionOptions(interval, (int)maxFrames, options.Value.FrameMaxLongEdge);
        if (extraction.Validate(video.DurationSeconds) is { } invalid) return new ErrorResult(Reconstruction3DErrors.Invalid("interval", invalid));

        var started = await ReconJobs.StartAsync(db, queue, view, caller, ReconJobTypes.FrameExtraction,
            new FrameExtractionParameters(interval, (int)maxFrames), ct);
        return started is null
            ? new ErrorResult(Reconstruction3DErrors.Conflict("Another job of this project is running: wait for it or cancel it first"))
            : TypedResults.Ok(new JobStartedModel("Frame extraction started", started.Number, view.Project.Number, "pending"));
    }

    public static async Task<IResult> Download(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "project_id")] long projectId,
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "file_type")] string fileType,
        Caller caller, ReconProjects projects, ProjectFiles files, IObjectStore store, CancellationToken ct)
    {
        if (!FileTypes.Contains(fileType))
            return new ErrorResult(Reconstruction3DErrors.Invalid("path.file_type", $"must be one of {string.Join(", ", FileTypes)}"));
        var view = await projects.FindAsync(caller, projectId, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        var recon = view.Recon;
        if (fileType == "frames")
        {
            if (recon.TotalFrames == 0) return new ErrorResult(Reconstruction3DErrors.NotFound("No frames for this project yet: extract them from the video or upload photos"));
            // Stored, not deflated: JPEGs do not compress.
            var frames = files.FramesPrefix(view.Project.Id);
            return new ObjectZip(store, files.ListAsync(frames, ct), o => o.Key[frames.Length..], $"project_{projectId}_frames.zip");
        }
        var (key, name, missing) = fileType switch
        {
            "video" => (recon.VideoKey, recon.VideoFileName ?? "video", "No video uploaded for this project yet"),
            "mesh" => (recon.MeshKey, $"project_{projectId}_mesh.ply", "No mesh for this project yet: run a reconstruction first"),
            "textured_mesh" => (recon.TexturedMeshKey, $"project_{projectId}_textured_mesh.glb", "No textured mesh for this project yet: run a reconstruction first"),
            _ => (recon.PointCloudKey, $"project_{projectId}_point_cloud.ply", "No point cloud for this project yet: run a reconstruction first"),
        };
        if (key is null || await files.HeadAsync(key, ct) is not { } info) return new ErrorResult(Reconstruction3DErrors.NotFound(missing));
        return new StoredFile(store, info, name);
    }

    public static async Task<Results<Ok<FileListModel>, ErrorResult>> List(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "project_id")] long projectId, Caller caller, ReconProjects projects, ProjectFiles files,
        IOptions<Reconstruction3DOptions> options, CancellationToken ct)
    {
        var view = await projects.FindAsync(caller, projectId, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        var recon = view.Recon;
        var entries = new List<FileEntry>();
        var basePath = $"{options.Value.BasePath.TrimEnd('/')}/files/download/{projectId}/";
        await foreach (var o in files.ListAsync(files.Root(view.Project.Id), ct))
        {
            var (fileType, url) = o.Key == recon.VideoKey ? ("video", basePath + "video")
                : o.Key == recon.PointCloudKey ? ("point_cloud", basePath + "point_cloud")
                : o.Key == recon.MeshKey ? ("mesh", basePath + "mesh")
                : o.Key == recon.TexturedMeshKey ? ("textured_mesh", basePath + "textured_mesh")
                : o.Key.StartsWith(files.FramesPrefix(view.Project.Id), StringComparison.Ordinal) ? ("frame", (string?)null)
                : ("other", null);
            entries.Add(new FileEntry(fileType, o.Key[(o.Key.LastIndexOf('/') + 1)..], o.Key, o.Size, o.ContentType, o.LastModified, url));
        }
        return TypedResults.Ok(new FileListModel(projectId, entries, recon.TotalFrames));
    }

    internal static async Task<int> CountAsync(ProjectFiles files, string prefix, CancellationToken ct)
    {
        var n = 0;
        await foreach (var _ in files.ListAsync(prefix, ct)) n++;
        return n;
    }

    /// <summary>A form body's fields (form-encoded or multipart), or null when the body is neither.</summary>
    private static async Task<IFormCollection?> ReadFieldsAsync(HttpContext context, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType) return null;
        try
        {
            return await context.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static long? FormLong(IFormCollection form, string field, bool required, Dictionary<string, string[]> errors)
    {
        var text = form[field].ToString().Trim();
        if (text.Length == 0)
        {
            if (required) errors[field] = ["field required"];
            return null;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors[field] = ["value is not a valid integer"];
            return null;
        }
        if (required && value < 1) errors[field] = ["must be greater than 0"];
        return value;
    }

    internal static ApiError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"File too large: the limit is {limit / (1024 * 1024)} MB", Code: "payload_too_large");
}

internal sealed record FrameExtractionParameters(
    [property: System.Text.Json.Serialization.JsonPropertyName("interval")] double Interval,
    [property: System.Text.Json.Serialization.JsonPropertyName("max_frames")] int MaxFrames);

internal sealed record ReconstructionParameters([property: System.Text.Json.Serialization.JsonPropertyName("quality")] string Quality);
