using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;

namespace Scanport.Surfaces.Vehicle360;

internal static class PresignEndpoint
{
    public const string Sha256Header = "x-amz-content-sha256";

    public static void MapPresign(this RouteGroupBuilder api) =>
        api.MapPost("/presign", Presign).RequireRateLimiting(Vehicle360Api.PresignLimit)
            .WithName("V360Presign").WithSummary("A presigned PUT URL for one photo of an active session; the body must match content_sha256");

    public static async Task<Results<Ok<PresignResponse>, ErrorResult>> Presign(
        PresignRequest request, Caller caller, ScanportDb db, IObjectStore store, IOptions<Vehicle360Options> options,
        TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { Count: > 0 } errors) return new ErrorResult(ApiError.Validation(errors));
        var sha256 = request.ContentSha256!.ToLowerInvariant();
        var sessionId = request.SessionId!.Value;

        for (var attempt = 0; ; attempt++)
        {
            var session = await db.Set<CaptureSession>().FirstOrDefaultAsync(s => s.Id == sessionId && s.OrgId == caller.OrgId, ct);
            if (session is null) return new ErrorResult(Vehicle360Errors.NotFound("Session"));
            if (!Permissions.OnSite(caller, session.SiteId)) return new ErrorResult(Vehicle360Errors.Forbidden("The session is not at a site of yours"));
            if (session.Status != SessionStatus.Active)
                return new ErrorResult(Vehicle360Errors.Conflict($"The session is {session.Status}: uploads need an active session"));

            var now = clock.GetUtcNow();
            var image = new VehicleImage
            {
                OrgId = session.OrgId,
                SiteId = session.SiteId,
                SessionId = session.Id,
                VehicleId = session.VehicleId,
                StorageKey = "",
                ContentType = request.ContentType!,
                ContentSha256 = sha256,
                FileName = request.FileName!.Trim(),
                Slot = session.ImageSlots,
                CreatedAt = now,
            };
            image.StorageKey = $"org/{session.OrgId}/site/{session.SiteId}/session/{session.Id}/{image.Id}.{Extension(image.ContentType)}";
            (image.AngleDeg, image.ShotName) = Place(session, image.Slot, request);
            session.ImageSlots++;
            db.Add(image);
            try
            {
                // The slot counter is a concurrency token: two presigns at once never share a slot.
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
                continue;
            }

            var headers = new Dictionary<string, string> { ["Content-Type"] = image.ContentType, [Sha256Header] = sha256 };
            var lifetime = options.Value.PresignLifetime;
            var url = store.PresignPut(options.Value.Bucket, image.StorageKey, lifetime, headers);
            return TypedResults.Ok(new PresignResponse(url.ToString(), image.StorageKey, headers, now + lifetime, image.Id));
        }
    }

    /// <summary>
    /// Where a photo sits: what the client said, else for studio360 its slot's share of the turn
    /// (<c>slot × 360 / frame_count</c>), for stills the shot list's name at its slot.
    /// </summary>
    internal static (int? Angle, string? Shot) Place(CaptureSession session, int slot, PresignRequest request)
    {
        var (frames, stills) = SessionValidation.Read(session.ShotListJson);
        var angle = request.AngleDeg ?? (session.Mode == SessionModes.Studio360 && frames is { } n && slot < n ? slot * 360 / n : null);
        var shot = request.ShotName?.Trim() ?? (session.Mode == SessionModes.Stills && slot < stills.Length ? stills[slot] : null);
        return (angle, shot);
    }

    private static string Extension(string contentType) => contentType == "image/heic" ? "heic" : "jpg";

    private static Dictionary<string, string[]> Validate(PresignRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.SessionId is null) errors["session_id"] = ["is required"];
        if (string.IsNullOrWhiteSpace(r.FileName)) errors["file_name"] = ["is required"];
        else if (r.FileName.Length > 255) errors["file_name"] = ["must be at most 255 characters"];
        if (r.ContentType is null) errors["content_type"] = ["is required"];
        else if (r.ContentType is not ("image/jpeg" or "image/heic")) errors["content_type"] = ["must be image/jpeg or image/heic"];
        if (r.ContentSha256 is null) errors["content_sha256"] = ["is required"];
        else if (r.ContentSha256.Length != 64 || !r.ContentSha256.All(char.IsAsciiHexDigit))
            errors["content_sha256"] = ["must be the SHA-256 of the file: 64 hexadecimal characters"];
        if (r.AngleDeg is < 0 or >= 360) errors["angle_deg"] = ["must be between 0 and 359"];
        if (r.ShotName is { } shot && (shot.Trim().Length == 0 || shot.Length > 64)) errors["shot_name"] = ["must be 1 to 64 characters"];
        return errors;
    }
}
