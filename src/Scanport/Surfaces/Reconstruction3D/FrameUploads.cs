using Microsoft.AspNetCore.Http.HttpResults;
using Scanport.Data;
using Scanport.Http;
using Scanport.Media;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// A photo uploaded as a frame: checked by the media module as every photo of the platform is (format by content, the
/// pixel limit from its header, then its data decoded once, so a truncated file is refused here and not by COLMAP
/// in the middle of a reconstruction), then stored among the project's frames.
/// </summary>
internal static class FrameUploads
{
    /// <summary>The formats COLMAP reads that this surface takes as frames.</summary>
    public static readonly IReadOnlyList<string> FrameTypes = ["image/jpeg", "image/png", "image/tiff"];

    public static async Task<Results<Ok<UploadModel>, ErrorResult>> StoreAsync(
        string temp, long size, ReconProjectView view, ScanportDb db, ReconProjects projects, ProjectFiles files, ImageProcessor images,
        CancellationToken ct)
    {
        string contentType;
        try
        {
            contentType = images.Verify(temp, FrameTypes, ct);
        }
        catch (ImageRejectedException e)
        {
            return new ErrorResult(e.Reason == ImageRejection.UnsupportedFormat
                ? Reconstruction3DErrors.BadRequest($"Unsupported file format: {e.Message}")
                : new ApiError(StatusCodes.Status422UnprocessableEntity, $"The image cannot be used: {e.Message}", Code: "unprocessable"));
        }

        var extension = contentType switch { "image/png" => ".png", "image/tiff" => ".tif", _ => ".jpg" };
        var projectId = view.Project.Id;
        if (view.Recon.FramesSource == "video")
        {
            // Photos replace frames that came from the video: the two are not one sequence.
            await files.DeleteAllAsync(files.FramesPrefix(projectId), ct);
            view.Recon.TotalFrames = 0;
        }
        // Named in upload order, so a sequence of photos keeps the order it was sent in.
        var key = $"{files.FramesPrefix(projectId)}image_{view.Recon.TotalFrames + 1:D6}_{Guid.NewGuid().ToString("N")[..8]}{extension}";
        await using (var body = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
            await files.PutAsync(key, body, contentType, ct);
        view.Recon.FramesSource = "images";
        view.Recon.TotalFrames = await FilesEndpoints.CountAsync(files, files.FramesPrefix(projectId), ct);
        projects.Touch(view);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new UploadModel("Image uploaded successfully", key, size, view.Project.Number));
    }
}
