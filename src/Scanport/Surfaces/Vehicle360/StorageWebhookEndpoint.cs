using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Scanport.Http;

namespace Scanport.Surfaces.Vehicle360;

/// <summary>
/// Ours: S3 event notifications (the <c>Records</c> JSON that MinIO's webhook target and AWS's SNS/EventBridge
/// relays post) for the <c>s3</c> provider, which cannot call back on its own: an <c>ObjectCreated</c> record of a
/// pending photo starts its processing, exactly as the embedded store's notice does. Authenticated by the shared
/// secret <see cref="Vehicle360Options.StorageWebhookSecret"/> as a bearer token; off while it is unset.
/// </summary>
internal static class StorageWebhookEndpoint
{
    public static void MapStorageWebhook(this RouteGroupBuilder api) =>
        // Exempt from the per-address limit: one storage server speaks for every upload.
        api.MapPost("/storage/events", Receive).AllowAnonymous().DisableRateLimiting().WithBodyLimit(1024 * 1024)
            .WithName("V360StorageEvents").WithSummary("S3 event notifications (MinIO webhook format); bearer = the configured secret");

    public static async Task<Results<NoContent, ErrorResult>> Receive(
        HttpRequest request, UploadCompletion uploads, IOptions<Vehicle360Options> options, CancellationToken ct)
    {
        if (options.Value.StorageWebhookSecret is not { Length: > 0 } secret) return new ErrorResult(Vehicle360Errors.NotFound("Endpoint"));
        var presented = request.Headers.Authorization.ToString();
        var expected = "Bearer " + secret;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
            return new ErrorResult(ApiError.ForStatus(StatusCodes.Status401Unauthorized));

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { AllowDuplicateProperties = false }, ct);
        }
        catch (JsonException)
        {
            return new ErrorResult(ApiError.Field("body", "is not valid JSON", "Malformed JSON"));
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array)
                return new ErrorResult(ApiError.Field("Records", "must be the S3 event notification's list of records"));
            foreach (var record in records.EnumerateArray())
            {
                (string Key, long Size)? stored;
                try
                {
                    stored = Created(record, options.Value.Bucket);
                }
                catch (InvalidOperationException)
                {
                    // Text that is not UTF-8 fails only where it is decoded.
                    return new ErrorResult(ApiError.Field("Records", "is not valid UTF-8", "Malformed JSON"));
                }
                if (stored is { } landed) await uploads.LandedAsync(landed.Key, landed.Size, ct);
            }
        }
        return TypedResults.NoContent();
    }

    /// <summary>The key and size of an <c>ObjectCreated</c> record in our bucket; keys arrive URL-encoded, spaces as '+'.</summary>
    private static (string Key, long Size)? Created(JsonElement record, string bucket)
    {
        if (record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("eventName", out var name) || name.GetString() is not { } eventName
            || !eventName.Replace("s3:", "", StringComparison.Ordinal).StartsWith("ObjectCreated:", StringComparison.Ordinal)
            || !record.TryGetProperty("s3", out var s3) || s3.ValueKind != JsonValueKind.Object
            || !s3.TryGetProperty("bucket", out var b) || b.ValueKind != JsonValueKind.Object || !b.TryGetProperty("name", out var bucketName)
            || bucketName.GetString() != bucket
            || !s3.TryGetProperty("object", out var o) || o.ValueKind != JsonValueKind.Object
            || !o.TryGetProperty("key", out var key) || key.GetString() is not { } encoded)
            return null;
        var size = o.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : 0;
        return (Uri.UnescapeDataString(encoded.Replace('+', ' ')), size);
    }
}
