using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Storage;

namespace Scanport.Surfaces.Vehicle360;

/// <summary>
/// Turns "the photo is in storage" into an <c>images</c> job, whoever says it: the embedded store when the PUT
/// lands, the device's <c>upload_complete</c> event, or an S3 event notification. Saying it twice is harmless.
/// </summary>
internal sealed class UploadCompletion(ScanportDb db, IObjectStore store, JobQueue jobs, IOptions<Vehicle360Options> options, TimeProvider clock)
{
    public static string JobSubject(Guid imageId) => $"image:{imageId}";

    /// <summary>The object under <paramref name="key"/> was stored with <paramref name="size"/> bytes.</summary>
    public async Task<bool> LandedAsync(string key, long size, CancellationToken ct)
    {
        var image = await db.Set<VehicleImage>().AsNoTracking().FirstOrDefaultAsync(i => i.StorageKey == key, ct);
        return image is not null && await StartAsync(image, size, ct);
    }

    /// <summary>A client says the image is uploaded: believed only once storage has the object.</summary>
    public async Task<bool> CheckAsync(VehicleImage image, CancellationToken ct)
    {
        if (image.Status != ImageStatus.Pending) return false;
        var stored = await store.HeadAsync(options.Value.Bucket, image.StorageKey, ct);
        return stored is not null && await StartAsync(image, stored.Size, ct);
    }

    private async Task<bool> StartAsync(VehicleImage image, long size, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pending = await db.Set<VehicleImage>().Where(i => i.Id == image.Id && i.Status == ImageStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.UploadedAt, now).SetProperty(i => i.Size, size), ct);
        if (pending == 0) return false;
        // A job already queued (or done) for this image is enough; should two notices race past this check, the
        // second job finds the image processed and does nothing.
        var subject = JobSubject(image.Id);
        if (await db.Set<Job>().AnyAsync(j => j.OrgId == image.OrgId && j.Subject == subject && j.Status != JobStatus.Failed && j.Status != JobStatus.Cancelled, ct))
            return false;
        await jobs.EnqueueAsync(image.OrgId, ImageProcessingJob.JobType, ImageProcessingJob.Payload(image.Id), subject, ct);
        return true;
    }
}

/// <summary>The embedded store's notice that an object landed: photos of the image bucket start processing.</summary>
internal sealed class UploadListener(UploadCompletion completion, IOptions<Vehicle360Options> options) : IObjectStoredListener
{
    public Task OnStoredAsync(ObjectInfo stored, CancellationToken ct) =>
        stored.Bucket == options.Value.Bucket && stored.Key.StartsWith("org/", StringComparison.Ordinal)
            ? completion.LandedAsync(stored.Key, stored.Size, ct)
            : Task.CompletedTask;
}
