using System.Text.Json;
using System.Text.Json.Serialization;
using Scanport.ApsCloud;

namespace Scanport.Surfaces.ApsIntegration;

// The bodies of the document's /aps routes.

internal sealed record BucketRequest([property: JsonPropertyName("bucket_key")] string? BucketKey, [property: JsonPropertyName("policy")] string? Policy);

internal sealed record BucketModel(
    [property: JsonPropertyName("bucket_key")] string BucketKey,
    [property: JsonPropertyName("bucket_owner")] string? BucketOwner,
    [property: JsonPropertyName("created_date")] DateTimeOffset CreatedDate,
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("permissions")] string[] Permissions)
{
    public static BucketModel Of(ApsiBucket b) => new(b.BucketKey, b.Owner, b.CreatedAt, b.Policy, []);
}

internal sealed record ObjectModel(
    [property: JsonPropertyName("bucket_key")] string BucketKey,
    [property: JsonPropertyName("object_id")] string ObjectId,
    [property: JsonPropertyName("object_key")] string ObjectKey,
    [property: JsonPropertyName("sha1")] string? Sha1,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("urn")] string Urn)
{
    public static ObjectModel Of(ApsObject o, long size) =>
        new(o.BucketKey, o.ObjectId, o.ObjectKey, o.Sha1, o.Size ?? size, o.ContentType ?? "application/octet-stream", o.Location, o.Urn);
}

internal sealed record TranslateRequest([property: JsonPropertyName("urn")] string? Urn);

internal sealed record TranslateModel(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("accepted_jobs")] AcceptedJobs AcceptedJobs)
{
    public static TranslateModel Accepted(string urn) =>
        new("manifest", urn, "success", new AcceptedJobs(new AcceptedOutput([new AcceptedFormat("svf2", ["2d", "3d"])])));
}

internal sealed record AcceptedJobs([property: JsonPropertyName("output")] AcceptedOutput Output);

internal sealed record AcceptedOutput([property: JsonPropertyName("formats")] AcceptedFormat[] Formats);

internal sealed record AcceptedFormat([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("views")] string[] Views);

internal sealed record StatusModel(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] string Progress)
{
    public static StatusModel Of(string urn, ApsManifest manifest) => new("manifest", urn,
        Text(manifest.Json, "region") ?? "US", Text(manifest.Json, "version") ?? "1.0", manifest.Status, manifest.Progress ?? "");

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

internal sealed record MetadataModel(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] string Progress,
    [property: JsonPropertyName("children")] IReadOnlyList<MetadataChild> Children,
    [property: JsonPropertyName("views")] IReadOnlyList<MetadataView> Views);

internal sealed record MetadataChild(
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role);

internal sealed record MetadataView(
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("role")] string? Role);
