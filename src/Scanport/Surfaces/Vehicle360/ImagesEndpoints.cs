using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;

namespace Scanport.Surfaces.Vehicle360;

internal static class ImagesEndpoints
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    private static readonly IReadOnlyDictionary<string, string> NoKeys = new Dictionary<string, string>();

    public static void MapVehicleImages(this RouteGroupBuilder api)
    {
        api.MapGet("/images", List).RequireCaller(CallerRules.IsNotDevice, Vehicle360Errors.UsersOnly).WithName("V360ListImages").WithSummary("Images of a session: studio360 by angle, stills by upload time");
        api.MapGet("/images/{id}", Get).RequireCaller(CallerRules.IsNotDevice, Vehicle360Errors.UsersOnly).WithName("V360GetImage").WithSummary("One image with EXIF, QC and download URLs");
        api.MapPost("/images/{id}/publish", Publish).RequireCaller(Permissions.Reviews, Vehicle360Errors.Forbidden("Publishing needs the reviewer or admin role"))
            .WithName("V360PublishImage").WithSummary("Publish a processed image (reviewers and admins)");
    }

    public static async Task<Results<Ok<ImageList>, ErrorResult>> List(
        [FromQuery(Name = "session_id")] Guid? sessionId, string? status, Caller caller, ScanportDb db, IObjectStore store,
        IOptions<Vehicle360Options> options, CancellationToken ct)
    {
        if (sessionId is null) return new ErrorResult(ApiError.Field("session_id", "is required"));
        if (status is not null && !ImageStatus.IsValid(status))
            return new ErrorResult(ApiError.Field("status", "must be one of pending, processing, processed, failed, published"));
        var session = await SessionsEndpoints.Visible(db, caller).FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null) return new ErrorResult(Vehicle360Errors.NotFound("Session"));

        var query = db.Set<VehicleImage>().AsNoTracking().Where(i => i.SessionId == session.Id);
        if (status is not null) query = query.Where(i => i.Status == status);
        // Studio turns read round the vehicle; photos without an angle follow in upload order.
        query = session.Mode == SessionModes.Studio360
            ? query.OrderBy(i => i.AngleDeg == null).ThenBy(i => i.AngleDeg).ThenBy(i => i.CreatedAt).ThenBy(i => i.Id)
            : query.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id);
        var rows = await query.ToListAsync(ct);
        var urls = new DownloadUrls(store, options.Value);
        var items = rows.Select(i => new ImageListItem(i.Id, i.SessionId, i.AngleDeg, i.ShotName, ThumbKeys(i), urls.Thumbs(i), Qc(i), i.Status, i.CreatedAt))
            .ToList();
        return TypedResults.Ok(new ImageList(items, items.Count));
    }

    public static async Task<Results<Ok<ImageModel>, ErrorResult>> Get(
        string id, Caller caller, ScanportDb db, IObjectStore store, IOptions<Vehicle360Options> options, CancellationToken ct)
    {
        var image = await FindAsync(db, caller, id, ct);
        if (image is null) return new ErrorResult(Vehicle360Errors.NotFound("Image"));
        var urls = new DownloadUrls(store, options.Value);
        return TypedResults.Ok(new ImageModel(image.Id, image.SessionId, image.VehicleId, image.AngleDeg, image.ShotName, image.StorageKey,
            ThumbKeys(image), urls.Thumbs(image), image.UploadedAt is null ? null : urls.Of(image.StorageKey),
            image.Width, image.Height, image.ExifJson is null ? null : JsonSerializer.Deserialize<ExifModel>(image.ExifJson),
            Qc(image), image.Status, image.FailureReason, image.CreatedAt, image.PublishedAt));
    }

    public static async Task<Results<Ok<PublishResponse>, ErrorResult>> Publish(
        string id, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var image = await FindAsync(db, caller, id, ct);
        if (image is null) return new ErrorResult(Vehicle360Errors.NotFound("Image"));
        if (image.Status == ImageStatus.Published) return TypedResults.Ok(new PublishResponse(image.Id, image.Status, image.PublishedAt));
        if (image.Status != ImageStatus.Processed)
            return new ErrorResult(Vehicle360Errors.Conflict($"Only processed images can be published; this one is {image.Status}"));

        var now = clock.GetUtcNow();
        // Conditional, so two reviewers publishing at once record one publication and both see its time.
        var changed = await db.Set<VehicleImage>().Where(i => i.Id == image.Id && i.Status == ImageStatus.Processed)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, ImageStatus.Published).SetProperty(i => i.PublishedAt, now)
                .SetProperty(i => i.PublishedBy, caller.UserId), ct);
        if (changed > 0)
        {
            db.Add(new AuditEvent
            {
                OrgId = caller.OrgId,
                EntityType = "image",
                EntityId = image.Id,
                Type = "published",
                ActorId = caller.Id,
                ActorKind = caller.Kind,
                CreatedAt = now,
            });
            await db.SaveChangesAsync(ct);
        }
        var published = await db.Set<VehicleImage>().AsNoTracking().Where(i => i.Id == image.Id).Select(i => i.PublishedAt).FirstAsync(ct);
        return TypedResults.Ok(new PublishResponse(image.Id, ImageStatus.Published, published));
    }

    /// <summary>An image of the caller's organization on a site it may see.</summary>
    internal static async Task<VehicleImage?> FindAsync(ScanportDb db, Caller caller, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var imageId)) return null;
        var query = db.Set<VehicleImage>().AsNoTracking().Where(i => i.Id == imageId && i.OrgId == caller.OrgId);
        if (Permissions.VisibleSites(caller) is { } sites) query = query.Where(i => sites.Contains(i.SiteId));
        return await query.FirstOrDefaultAsync(ct);
    }

    private static IReadOnlyDictionary<string, string> ThumbKeys(VehicleImage image) =>
        image.ThumbKeysJson is null ? NoKeys : JsonSerializer.Deserialize<Dictionary<string, string>>(image.ThumbKeysJson)!;

    private static JsonElement Qc(VehicleImage image) =>
        image.QcJson is null ? EmptyObject : JsonDocument.Parse(image.QcJson).RootElement.Clone();

    /// <summary>Presigned GET URLs, valid for <see cref="Vehicle360Options.DownloadUrlLifetime"/>.</summary>
    private sealed class DownloadUrls(IObjectStore store, Vehicle360Options options)
    {
        public string Of(string key) => store.PresignGet(options.Bucket, key, options.DownloadUrlLifetime).ToString();

        public IReadOnlyDictionary<string, string> Thumbs(VehicleImage image) =>
            ThumbKeys(image).ToDictionary(t => t.Key, t => Of(t.Value));
    }
}
