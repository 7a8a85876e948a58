using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Scanport.Data;
using Scanport.Http;
using Scanport.Media;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// What a project takes as media, however the bytes arrived (one multipart request, or a resumable upload's parts put
/// together): a photo becomes a frame, a video replaces the project's video; anything else is refused and nothing the
/// project had is touched. The file is checked by its content, never by its name.
/// </summary>
internal sealed class MediaIntake(ScanportDb db, ReconProjects projects, ProjectFiles files, ImageProcessor images, VideoProbe videos)
{
    public async Task<Results<Ok<UploadModel>, ErrorResult>> AcceptAsync(string path, long size, string fileName, ReconProjectView view, CancellationToken ct)
    {
        if (await ReconJobs.BusyAsync(db, view.Project.Id, ct) is { } busy) return new ErrorResult(busy);

        var format = await MediaSignature.IdentifyAsync(path, ct);
        if (format.IsFrameImage()) return await FrameUploads.StoreAsync(path, size, view, db, projects, files, images, ct);
        var probe = await videos.ProbeAsync(path, ct);
        if (probe.Video is not { } video)
            return new ErrorResult(probe.Rejection == VideoRejection.UnsupportedFormat
                ? Reconstruction3DErrors.BadRequest($"Unsupported file format: {probe.Error}. Supported: MP4, AVI, MOV, MKV videos and JPG, PNG, TIFF images")
                : new ApiError(StatusCodes.Status422UnprocessableEntity, $"The video cannot be used: {probe.Error}", Code: "unprocessable"));

        var projectId = view.Project.Id;
        var key = files.VideoPrefix(projectId) + "video." + video.Container;
        await files.DeleteAllAsync(files.VideoPrefix(projectId), ct);
        await using (var body = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await files.PutAsync(key, body, ContentTypeOf(video.Container), ct);
        view.Recon.VideoKey = key;
        view.Recon.VideoFileName = SafeName(fileName, "video." + video.Container);
        view.Recon.VideoSize = size;
        view.Recon.VideoInfoJson = JsonSerializer.Serialize(video);
        projects.Touch(view);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new UploadModel("Video uploaded successfully", key, size, view.Project.Number));
    }

    private static string SafeName(string name, string fallback)
    {
        var leaf = Path.GetFileName(name.Replace('\\', '/'));
        var clean = new string(leaf.Where(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ' ').ToArray()).Trim();
        return clean.Length is > 0 and <= 200 ? clean : fallback;
    }

    private static string ContentTypeOf(string container) => container switch
    {
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "mkv" => "video/x-matroska",
        _ => "application/octet-stream",
    };
}
