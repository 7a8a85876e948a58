using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanport.Surfaces.Aps.Oss;

// OSS v2's bodies, named as oss.yaml names them. Dates are epoch milliseconds; optional fields are left out, not null.

public sealed record CreateBucketPayload(
    [property: JsonPropertyName("bucketKey")] string? BucketKey,
    [property: JsonPropertyName("policyKey")] string? PolicyKey,
    [property: JsonPropertyName("allow")] JsonElement? Allow);

public sealed record OssPermission(
    [property: JsonPropertyName("authId")] string AuthId,
    [property: JsonPropertyName("access")] string Access);

public sealed record OssBucketDetails(
    [property: JsonPropertyName("bucketKey")] string BucketKey,
    [property: JsonPropertyName("bucketOwner")] string BucketOwner,
    [property: JsonPropertyName("createdDate")] long CreatedDate,
    [property: JsonPropertyName("permissions")] IReadOnlyList<OssPermission> Permissions,
    [property: JsonPropertyName("policyKey")] string PolicyKey);

public sealed record OssBucketItem(
    [property: JsonPropertyName("bucketKey")] string BucketKey,
    [property: JsonPropertyName("createdDate")] long CreatedDate,
    [property: JsonPropertyName("policyKey")] string PolicyKey);

public sealed record OssBuckets(
    [property: JsonPropertyName("items")] IReadOnlyList<OssBucketItem> Items,
    [property: JsonPropertyName("next"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

public sealed record OssObjectDetails(
    [property: JsonPropertyName("bucketKey")] string BucketKey,
    [property: JsonPropertyName("objectId")] string ObjectId,
    [property: JsonPropertyName("objectKey")] string ObjectKey,
    [property: JsonPropertyName("sha1")] string Sha1,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("contentType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContentType,
    [property: JsonPropertyName("location")] string Location)
{
    [JsonPropertyName("createdDate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CreatedDate { get; init; }

    [JsonPropertyName("lastAccessedDate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastAccessedDate { get; init; }

    [JsonPropertyName("lastModifiedDate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastModifiedDate { get; init; }
}

public sealed record OssObjects(
    [property: JsonPropertyName("items")] IReadOnlyList<OssObjectDetails> Items,
    [property: JsonPropertyName("next"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

public sealed record SignedS3Upload(
    [property: JsonPropertyName("uploadKey")] string UploadKey,
    [property: JsonPropertyName("uploadExpiration")] string UploadExpiration,
    [property: JsonPropertyName("urlExpiration")] string UrlExpiration,
    [property: JsonPropertyName("urls")] IReadOnlyList<string> Urls);

public sealed record CompleteSignedS3Upload(
    [property: JsonPropertyName("uploadKey")] string? UploadKey,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("eTags")] IReadOnlyList<string>? ETags);

public sealed record SignedS3Download(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, string> Params,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha1")] string Sha1);
