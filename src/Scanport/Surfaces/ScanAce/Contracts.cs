using System.Text.Json.Serialization;

namespace Scanport.Surfaces.ScanAce;

// JSON names are the document's (snake_case); every body is wrapped in its GenericResponse.

public sealed record GenericResponse<T>(
    [property: JsonPropertyName("data")] T Data,
    [property: JsonPropertyName("pagination"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Pagination? Pagination = null);

public sealed record Pagination(
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("total")] int Total);

public sealed record ProjectModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name);

public sealed record LocationModel(
    [property: JsonPropertyName("latitude")] double? Latitude,
    [property: JsonPropertyName("longitude")] double? Longitude);

public sealed record InputSnapshot(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("location")] LocationModel? Location,
    [property: JsonPropertyName("utm_zone_nr")] double? UtmZoneNr,
    [property: JsonPropertyName("utm_hemisphere")] string? UtmHemisphere,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("start_capture_at")] DateTimeOffset? StartCaptureAt,
    [property: JsonPropertyName("end_capture_at")] DateTimeOffset? EndCaptureAt);

public sealed record CommitSnapshot([property: JsonPropertyName("laz_s3_key")] string? LazS3Key);

/// <summary>The Snapshot Model, plus what we add: where it is, what ingestion read, and why it failed.</summary>
public sealed record SnapshotModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("project_id")] string ProjectId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("snapshot_source")] string SnapshotSource,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("location")] LocationModel? Location,
    [property: JsonPropertyName("utm_zone_nr")] int UtmZoneNr,
    [property: JsonPropertyName("utm_hemisphere")] string UtmHemisphere,
    [property: JsonPropertyName("start_capture_at")] DateTimeOffset? StartCaptureAt,
    [property: JsonPropertyName("end_capture_at")] DateTimeOffset? EndCaptureAt,
    [property: JsonPropertyName("laz_s3_key")] string? LazS3Key,
    [property: JsonPropertyName("point_cloud"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PointCloudModel? PointCloud,
    [property: JsonPropertyName("failure_reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailureReason);

public sealed record PointCloudModel(
    [property: JsonPropertyName("las_version")] string? LasVersion,
    [property: JsonPropertyName("point_format")] int? PointFormat,
    [property: JsonPropertyName("point_count")] long? PointCount,
    [property: JsonPropertyName("compressed")] bool? Compressed,
    [property: JsonPropertyName("bounds")] BoundsModel? Bounds,
    [property: JsonPropertyName("crs")] CrsModel? Crs);

public sealed record BoundsModel(
    [property: JsonPropertyName("min_x")] double MinX, [property: JsonPropertyName("min_y")] double MinY, [property: JsonPropertyName("min_z")] double MinZ,
    [property: JsonPropertyName("max_x")] double MaxX, [property: JsonPropertyName("max_y")] double MaxY, [property: JsonPropertyName("max_z")] double MaxZ);

public sealed record CrsModel(
    [property: JsonPropertyName("epsg")] int? Epsg,
    [property: JsonPropertyName("wkt")] string? Wkt,
    [property: JsonPropertyName("units")] string? Units);

/// <summary>The S3 Upload Credentials Model, plus <c>endpoint_url</c> (absent for AWS S3) and <c>expiration</c>.</summary>
public sealed record S3UploadCredentials(
    [property: JsonPropertyName("access_key_id")] string AccessKeyId,
    [property: JsonPropertyName("access_key_secret")] string AccessKeySecret,
    [property: JsonPropertyName("session_token")] string SessionToken,
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("s3_prefix")] string S3Prefix,
    [property: JsonPropertyName("expiration")] DateTimeOffset Expiration,
    [property: JsonPropertyName("endpoint_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndpointUrl);

/// <summary>Errors as the NestJS service behind the document writes them: <c>{statusCode, message, error}</c>.</summary>
public sealed record ScanAceError(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("message")] object Message,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("request_id")] string RequestId);
