using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Media;
using Scanport.Storage;

namespace Scanport.Surfaces.Vehicle360;

/// <summary>
/// The <c>images</c> job of an uploaded photo: checks the stored bytes against the announced SHA-256, decodes
/// (JPEG, HEIC), reads EXIF, makes the thumbnails and the QC scores, and moves the image
/// pending → processing → processed, or failed with a reason. A retry rewrites the same thumbnails.
/// </summary>
internal sealed class ImageProcessingJob(ScanportDb db, IObjectStore store, IOptions<Vehicle360Options> options, ImageProcessor processor,
    IOptions<ScanportOptions> scanport, TimeProvider clock) : IJobHandler
{
    public const string JobType = "image.process";

    /// <summary>Where photos are downloaded to while processed, under the data directory.</summary>
    public const string TempFolder = "tmp";

    public string Type => JobType;
    public string Queue => "images";

    public static ImagePayload Payload(Guid imageId) => new(imageId);

    /// <summary>The job's payload: the image to process.</summary>
    public sealed record ImagePayload([property: JsonPropertyName("image_id")] Guid ImageId);

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var imageId = ImageIdOf(context);
        var bucket = options.Value.Bucket;

        var image = await db.Set<VehicleImage>().FirstOrDefaultAsync(i => i.Id == imageId && i.OrgId == context.OrgId, ct);
        if (image is null) return JobOutcome.Failed($"image {imageId} no longer exists");
        if (image.Status is not (ImageStatus.Pending or ImageStatus.Processing)) return JobOutcome.Succeeded(); // an earlier attempt finished it
        image.Status = ImageStatus.Processing;
        await db.SaveChangesAsync(ct);

        var temp = Path.Combine(scanport.Value.DataDir, TempFolder, $"image-{image.Id:N}-{context.Attempt}");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            var failure = await DownloadAsync(store, bucket, image, temp, ct);
            if (failure is null)
            {
                try
                {
                    var analysis = processor.Analyze(temp, ct);
                    await context.ReportProgressAsync(70);
                    // An expected outcome, not an exception: the photo is refused with the reason.
                    if (analysis.ContentType != image.ContentType)
                    {
                        failure = $"the photo is {analysis.ContentType} but was announced as {image.ContentType}";
                    }
                    else
                    {
                        var keys = new Dictionary<string, string>();
                        foreach (var (size, jpeg) in analysis.Thumbnails)
                        {
                            var key = ThumbKey(image.StorageKey, size);
                            await store.PutAsync(bucket, key, new MemoryStream(jpeg, writable: false), "image/jpeg", ct);
                            keys[size.ToString(System.Globalization.CultureInfo.InvariantCulture)] = key;
                        }
                        image.Width = analysis.Width;
                        image.Height = analysis.Height;
                        image.ExifJson = JsonSerializer.Serialize(new ExifModel(analysis.Exif.Iso, analysis.Exif.Shutter, analysis.Exif.Aperture, analysis.Exif.Timestamp));
                        var (sharpness, exposure) = (analysis.Qc.Sharpness, analysis.Qc.Exposure);
                        image.QcJson = JsonSerializer.Serialize(new QcModel(
                            new SharpnessModel(Math.Round(sharpness.Score, 1), sharpness.Status),
                            new ExposureModel(exposure.Status, Math.Round(exposure.ShadowsClipped, 4), Math.Round(exposure.HighlightsClipped, 4),
                                Math.Round(exposure.Mean, 1))));
                        image.ThumbKeysJson = JsonSerializer.Serialize(keys);
                    }
                }
                catch (ImageRejectedException e)
                {
                    failure = e.Message;
                }
            }
            image.Status = failure is null ? ImageStatus.Processed : ImageStatus.Failed;
            image.FailureReason = failure;
            image.ProcessedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await context.LogAsync(failure is null ? $"processed {image.Width}x{image.Height}" : $"failed: {failure}");
            return JobOutcome.Succeeded(JsonSerializer.Serialize(new { image_id = image.Id, status = image.Status, failure_reason = failure }));
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>An image still pending or processing when its job gives up fails with the job's reason.</summary>
    public async Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct)
    {
        var imageId = ImageIdOf(context);
        var reason = $"processing failed: {error}";
        if (reason.Length > VehicleImage.FailureReasonLength) reason = reason[..VehicleImage.FailureReasonLength];
        var now = clock.GetUtcNow();
        await db.Set<VehicleImage>()
            .Where(i => i.Id == imageId && i.OrgId == context.OrgId && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Processing))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, ImageStatus.Failed).SetProperty(i => i.FailureReason, reason)
                .SetProperty(i => i.ProcessedAt, now), ct);
    }

    private static Guid ImageIdOf(JobContext context) => context.Payload<ImagePayload>().ImageId;

    /// <summary>Thumbnails live beside the original: <c>…/{uuid}/thumb_600.jpg</c>.</summary>
    internal static string ThumbKey(string originalKey, int size) =>
        $"{originalKey[..originalKey.LastIndexOf('.')]}/thumb_{size}.jpg";

    /// <summary>Copies the original to <paramref name="path"/>; the reason it cannot be used, or null.</summary>
    private static async Task<string?> DownloadAsync(IObjectStore store, string bucket, VehicleImage image, string path, CancellationToken ct)
    {
        await using var content = await store.GetAsync(bucket, image.StorageKey, null, ct);
        if (content is null) return "the uploaded photo is not in storage";
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            int read;
            while ((read = await content.Body.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        return actual == image.ContentSha256 ? null : "the stored photo does not match content_sha256";
    }
}
