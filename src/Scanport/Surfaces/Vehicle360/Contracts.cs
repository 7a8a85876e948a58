using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanport.Surfaces.Vehicle360;

// JSON names are the document's. Fields marked "ours" are additions the document does not list.

public sealed record DeviceAuthRequest(
    [property: JsonPropertyName("org_id")] Guid? OrgId,
    [property: JsonPropertyName("platform")] string? Platform,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("app_version")] string? AppVersion,
    // Ours: the one-time code from POST /platform/v1/devices/enrollment-codes (or header X-Enrollment-Code).
    [property: JsonPropertyName("enrollment_code")] string? EnrollmentCode);

public sealed record DeviceAuthResponse(
    [property: JsonPropertyName("device_id")] Guid DeviceId,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public sealed record LoginRequest([property: JsonPropertyName("id_token")] string? IdToken);

public sealed record LoginResponse(
    [property: JsonPropertyName("user_id")] Guid UserId,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public sealed record VehicleInput(
    [property: JsonPropertyName("vin")] string? Vin,
    [property: JsonPropertyName("stock")] string? Stock);

public sealed record CreateSessionRequest(
    [property: JsonPropertyName("site_id")] Guid? SiteId,
    [property: JsonPropertyName("vehicle")] VehicleInput? Vehicle,
    [property: JsonPropertyName("mode")] string? Mode,
    [property: JsonPropertyName("shot_list")] JsonElement? ShotList);

public sealed record UpdateSessionRequest(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt);

public sealed record VehicleModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("vin")] string? Vin,
    [property: JsonPropertyName("stock")] string? Stock);

public sealed record PersonModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string? Name);

public sealed record SiteModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name);

public sealed record DeviceModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("model")] string? Model);

/// <summary>A session as POST, GET /sessions/:id and PATCH return it (the OpenAPI Session, with the details).</summary>
public sealed record SessionModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("org_id")] Guid OrgId,
    [property: JsonPropertyName("site_id")] Guid SiteId,
    [property: JsonPropertyName("vehicle_id")] Guid VehicleId,
    [property: JsonPropertyName("vehicle")] VehicleModel Vehicle,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("shot_list")] JsonElement ShotList,
    [property: JsonPropertyName("operator")] PersonModel? Operator,
    [property: JsonPropertyName("device")] DeviceModel? Device,
    [property: JsonPropertyName("site")] SiteModel Site,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("image_count")] int ImageCount);

public sealed record SessionListItem(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("vehicle")] VehicleModel Vehicle,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("operator")] PersonModel? Operator,
    [property: JsonPropertyName("site")] SiteModel Site,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("image_count")] int ImageCount);

public sealed record SessionList(
    [property: JsonPropertyName("data")] IReadOnlyList<SessionListItem> Data,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset);

public sealed record PresignRequest(
    [property: JsonPropertyName("session_id")] Guid? SessionId,
    [property: JsonPropertyName("file_name")] string? FileName,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("content_sha256")] string? ContentSha256,
    // Ours: where the photo sits on the turntable; else its upload slot decides.
    [property: JsonPropertyName("angle_deg")] int? AngleDeg,
    // Ours: which still it is; else the shot list's next name.
    [property: JsonPropertyName("shot_name")] string? ShotName);

public sealed record PresignResponse(
    [property: JsonPropertyName("upload_url")] string UploadUrl,
    [property: JsonPropertyName("storage_key")] string StorageKey,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    // Ours: the image this upload becomes, for GET /images/:id and upload_complete events.
    [property: JsonPropertyName("image_id")] Guid ImageId);

public sealed record ExifModel(
    [property: JsonPropertyName("iso")] int? Iso,
    [property: JsonPropertyName("shutter")] string? Shutter,
    [property: JsonPropertyName("aperture")] string? Aperture,
    [property: JsonPropertyName("timestamp")] DateTimeOffset? Timestamp);

public sealed record ImageListItem(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("session_id")] Guid SessionId,
    [property: JsonPropertyName("angle_deg")] int? AngleDeg,
    [property: JsonPropertyName("shot_name")] string? ShotName,
    [property: JsonPropertyName("thumb_keys")] IReadOnlyDictionary<string, string> ThumbKeys,
    // Ours: short-lived download URLs of the thumbnails, by the same sizes.
    [property: JsonPropertyName("thumb_urls")] IReadOnlyDictionary<string, string> ThumbUrls,
    [property: JsonPropertyName("qc")] JsonElement Qc,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

public sealed record ImageList(
    [property: JsonPropertyName("data")] IReadOnlyList<ImageListItem> Data,
    [property: JsonPropertyName("total")] int Total);

public sealed record ImageModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("session_id")] Guid SessionId,
    [property: JsonPropertyName("vehicle_id")] Guid VehicleId,
    [property: JsonPropertyName("angle_deg")] int? AngleDeg,
    [property: JsonPropertyName("shot_name")] string? ShotName,
    [property: JsonPropertyName("storage_key")] string StorageKey,
    [property: JsonPropertyName("thumb_keys")] IReadOnlyDictionary<string, string> ThumbKeys,
    [property: JsonPropertyName("thumb_urls")] IReadOnlyDictionary<string, string> ThumbUrls,
    // Ours: a short-lived download URL of the original, once it is uploaded.
    [property: JsonPropertyName("original_url")] string? OriginalUrl,
    [property: JsonPropertyName("width")] int? Width,
    [property: JsonPropertyName("height")] int? Height,
    [property: JsonPropertyName("exif")] ExifModel? Exif,
    [property: JsonPropertyName("qc")] JsonElement Qc,
    [property: JsonPropertyName("status")] string Status,
    // Ours: why processing failed.
    [property: JsonPropertyName("failure_reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailureReason,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("published_at")] DateTimeOffset? PublishedAt);

public sealed record PublishResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("published_at")] DateTimeOffset? PublishedAt);

public sealed record EventInput(
    [property: JsonPropertyName("entity_type")] string? EntityType,
    [property: JsonPropertyName("entity_id")] Guid? EntityId,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("meta")] JsonElement? Meta);

/// <summary>One event, or a batch under events: the document's oneOf.</summary>
public sealed record EventsRequest(
    [property: JsonPropertyName("entity_type")] string? EntityType,
    [property: JsonPropertyName("entity_id")] Guid? EntityId,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("meta")] JsonElement? Meta,
    [property: JsonPropertyName("events")] List<EventInput>? Events);

public sealed record EventsAccepted([property: JsonPropertyName("accepted")] int Accepted);

public sealed record ActorModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("kind")] string Kind);

public sealed record EventModel(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("entity_type")] string EntityType,
    [property: JsonPropertyName("entity_id")] Guid EntityId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("meta")] JsonElement? Meta,
    [property: JsonPropertyName("actor")] ActorModel Actor,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

public sealed record EventList(
    [property: JsonPropertyName("data")] IReadOnlyList<EventModel> Data,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset);

public sealed record SharpnessModel(
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("status")] string Status);

public sealed record ExposureModel(
    [property: JsonPropertyName("status")] string Status,
    // Ours: the fractions (0–1) of pixels clipped black and white, and the mean luminance (0–255).
    [property: JsonPropertyName("shadows_clipped")] double ShadowsClipped,
    [property: JsonPropertyName("highlights_clipped")] double HighlightsClipped,
    [property: JsonPropertyName("mean")] double Mean);

public sealed record QcModel(
    [property: JsonPropertyName("sharpness")] SharpnessModel Sharpness,
    [property: JsonPropertyName("exposure")] ExposureModel Exposure);
