using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;
using Scanport.Surfaces.Aps.Authentication;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>
/// OSS's signed S3 transfers, as APS's SDKs use them: upload URLs that are the object store's own presigned UploadPart URLs
/// of a multipart upload behind an <c>uploadKey</c>, completed by the server with the parts the store holds; download URLs
/// that are presigned GETs of the store (ranges served).
/// </summary>
internal static class SignedS3Endpoints
{
    /// <summary>How long an upload may take from its first URL to its completion, as at APS.</summary>
    public static readonly TimeSpan UploadLifetime = TimeSpan.FromHours(24);

    public static RouteGroupBuilder MapOssSignedS3(this RouteGroupBuilder oss)
    {
        const string path = "/buckets/{bucketKey}/objects/{objectKey}";
        oss.MapGet(path + "/signeds3upload", Urls).WithName("OssSignedS3Upload").WithSummary("Signed S3 URLs to upload an object's parts")
            .RequireApsScope("data:write", "data:create");
        oss.MapPost(path + "/signeds3upload", Complete).WithName("OssCompleteSignedS3Upload").WithSummary("Complete a signed S3 upload")
            .RequireApsScope("data:write", "data:create").Accepts<CompleteSignedS3Upload>("application/json");
        oss.MapGet(path + "/signeds3download", Download).WithName("OssSignedS3Download").WithSummary("A signed S3 URL to download an object")
            .RequireApsScope("data:read");
        return oss;
    }

    public static async Task<Results<Ok<SignedS3Upload>, ErrorResult>> Urls(
        HttpContext context, string bucketKey, Caller caller, OssCatalog catalog, ScanportDb db, IObjectStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!Permissions.WritesApsData(caller)) return OssErrors.ReadOnly;
        var (bucket, objectKey, at, error) = await TargetAsync(context, caller, bucketKey, catalog, ct);
        if (error is not null) return error;
        if (!OssRequests.TryInt(context, "parts", 1, 1, 10_000, out var parts, out error)
            || !OssRequests.TryInt(context, "firstPart", 1, 1, 10_000, out var firstPart, out error)
            || !OssRequests.TryInt(context, "minutesExpiration", 2, 1, 60, out var minutes, out error)) return error!;
        var last = firstPart + parts - 1;
        if (last > 10_000) return OssErrors.BadRequest("firstPart + parts - 1 may not pass 10000 parts");
        var now = clock.GetUtcNow();
        OssUpload upload;
        if (context.Request.Query["uploadKey"].ToString() is { Length: > 0 } uploadKey)
        {
            if (await FindUploadAsync(db, caller, bucket!, objectKey!, uploadKey, now, ct) is not { } found) return InvalidUploadKey;
            upload = found;
            if (last > upload.PartsIssued)
                await db.OssUploads.Where(u => u.UploadKey == upload.UploadKey && u.PartsIssued < last).ExecuteUpdateAsync(s => s.SetProperty(u => u.PartsIssued, last), ct);
        }
        else
        {
            upload = new OssUpload
            {
                UploadKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                OrgId = caller.OrgId,
                BucketKey = bucket!.Key,
                ObjectKey = objectKey!,
                StoreUploadId = await store.StartMultipartUploadAsync(at.Bucket, at.Key, null, ct),
                PartsIssued = last,
                CreatedAt = now,
                ExpiresAt = now + UploadLifetime,
            };
            db.OssUploads.Add(upload);
            await db.SaveChangesAsync(ct);
        }
        var lifetime = TimeSpan.FromMinutes(minutes);
        var urls = Enumerable.Range(firstPart, parts).Select(n => store.PresignUploadPart(at.Bucket, at.Key, upload.StoreUploadId, n, lifetime).ToString()).ToList();
        return TypedResults.Ok(new SignedS3Upload(upload.UploadKey, OssRequests.Iso(upload.ExpiresAt), OssRequests.Iso(now + lifetime), urls));
    }

    public static async Task<Results<Ok<OssObjectDetails>, ErrorResult>> Complete(
        HttpContext context, string bucketKey, Caller caller, CompleteSignedS3Upload? body, OssCatalog catalog, ScanportDb db, IObjectStore store,
        TimeProvider clock, CancellationToken ct)
    {
        if (!Permissions.WritesApsData(caller)) return OssErrors.ReadOnly;
        var (bucket, objectKey, at, error) = await TargetAsync(context, caller, bucketKey, catalog, ct);
        if (error is not null) return error;
        if (body?.UploadKey is not { Length: > 0 } uploadKey) return OssErrors.BadRequest("Field 'uploadKey' is required");
        if (body.Size is < 0) return OssErrors.BadRequest("Field 'size' may not be negative");
        if (await FindUploadAsync(db, caller, bucket!, objectKey!, uploadKey, clock.GetUtcNow(), ct) is not { } upload) return InvalidUploadKey;
        if (await store.ListUploadedPartsAsync(at.Bucket, at.Key, upload.StoreUploadId, ct) is not { } parts) return InvalidUploadKey;
        if (UploadCheck.Problem(parts, upload.PartsIssued, body.Size, body.ETags) is { } problem) return OssErrors.BadRequest(problem);

        var contentType = context.Request.Headers["x-ads-meta-Content-Type"].ToString() is { Length: > 0 and <= 255 } given ? given : OssRequests.DefaultContentType;
        // One completion per upload: whoever deletes its row completes it; two at once would publish the same parts twice.
        if (await db.OssUploads.Where(u => u.UploadKey == upload.UploadKey).ExecuteDeleteAsync(ct) == 0) return InvalidUploadKey;
        ObjectInfo? stored;
        try
        {
            stored = await store.CompleteMultipartUploadAsync(at.Bucket, at.Key, upload.StoreUploadId, parts, ct);
        }
        catch
        {
            // The store did not complete it: the upload stays open to try again.
            db.OssUploads.Add(upload);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        if (stored is null) return InvalidUploadKey; // dropped meanwhile
        var sha1 = await catalog.Sha1Async(at, ct);
        var entry = await catalog.RecordAsync(bucket!, objectKey!, stored.Size, sha1, contentType, ct);
        return TypedResults.Ok(OssRequests.Details(context, entry));
    }

    public static async Task<Results<Ok<SignedS3Download>, StatusCodeHttpResult, ErrorResult>> Download(
        HttpContext context, string bucketKey, Caller caller, OssCatalog catalog, ScanportDb db, IObjectStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!Permissions.ReadsApsData(caller)) return OssErrors.NoRead;
        var found = await ObjectsEndpoints.ObjectAsync(context, caller, bucketKey, catalog, ct);
        if (found.Object is not { } o) return found.Error!;
        if (!OssRequests.TryInt(context, "minutesExpiration", 2, 1, 60, out var minutes, out var error)) return error!;
        if (ObjectsEndpoints.NotModifiedSince(context, o.ModifiedAt)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var q = context.Request.Query;
        var overrides = new ResponseOverrides(
            q["response-content-type"].ToString() is { Length: > 0 } type ? type : o.ContentType ?? OssRequests.DefaultContentType,
            q["response-content-disposition"].ToString() is { Length: > 0 } disposition ? disposition : null,
            q["response-cache-control"].ToString() is { Length: > 0 } cache ? cache : null);
        var at = catalog.Location(caller.OrgId, o.BucketKey, o.ObjectKey)!.Value;
        var url = store.PresignGet(at.Bucket, at.Key, TimeSpan.FromMinutes(minutes), overrides);
        await db.OssObjects.Where(x => x.BucketKey == o.BucketKey && x.ObjectKey == o.ObjectKey)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AccessedAt, clock.GetUtcNow()), ct);
        var parameters = new Dictionary<string, string> { ["content-type"] = overrides.ContentType! };
        if (overrides.ContentDisposition is { } d) parameters["content-disposition"] = d;
        if (overrides.CacheControl is { } c) parameters["cache-control"] = c;
        return TypedResults.Ok(new SignedS3Download("complete", url.ToString(), parameters, o.Size, o.Sha1));
    }

    private static ErrorResult InvalidUploadKey => OssErrors.BadRequest("The uploadKey is not a valid upload of this object, or it has expired");

    /// <summary>The bucket, object key and store location the path names, or why not.</summary>
    private static async Task<(OssBucket? Bucket, string? ObjectKey, (string Bucket, string Key) At, ErrorResult? Error)> TargetAsync(
        HttpContext context, Caller caller, string bucketKey, OssCatalog catalog, CancellationToken ct)
    {
        var found = await ObjectsEndpoints.BucketAsync(caller, bucketKey, catalog, ct);
        if (found.Bucket is not { } bucket) return (null, null, default, found.Error);
        if (OssRequests.ObjectKey(context) is not { } objectKey || catalog.Location(caller.OrgId, bucketKey, objectKey) is not { } at)
            return (null, null, default, OssErrors.BadRequest("Invalid object key"));
        return (bucket, objectKey, at, null);
    }

    /// <summary>The upload the key names, when it is this caller's organization's, for this very object, and not expired.</summary>
    private static Task<OssUpload?> FindUploadAsync(ScanportDb db, Caller caller, OssBucket bucket, string objectKey, string uploadKey, DateTimeOffset now, CancellationToken ct) =>
        db.OssUploads.AsNoTracking().FirstOrDefaultAsync(u => u.UploadKey == uploadKey && u.OrgId == caller.OrgId && u.BucketKey == bucket.Key
            && u.ObjectKey == objectKey && u.ExpiresAt > now, ct);
}

/// <summary>Whether the parts a store holds make the whole object the client meant: APS's checks at completion.</summary>
internal static class UploadCheck
{
    /// <summary>S3's least size of every part but the last.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>Null when the parts are 1 to <paramref name="issued"/> with none missing or too small and match the size and eTags given; otherwise why not.</summary>
    public static string? Problem(IReadOnlyList<UploadedPart> parts, int issued, long? size, IReadOnlyList<string>? eTags)
    {
        var numbers = parts.Select(p => p.Number).ToHashSet();
        var pending = Enumerable.Range(1, issued).Where(n => !numbers.Contains(n)).ToList();
        if (pending.Count > 0)
            return $"The upload is incomplete: part{(pending.Count > 1 ? "s" : "")} {string.Join(", ", pending.Take(20))}{(pending.Count > 20 ? ", ..." : "")} Pending";
        if (parts.Count > issued) return "The store holds parts no URL was given for";
        var small = parts.SkipLast(1).Where(p => p.Size < MinPartSize).Select(p => p.Number).ToList();
        if (small.Count > 0) return $"Part{(small.Count > 1 ? "s" : "")} {string.Join(", ", small.Take(20))} TooSmall: every part but the last must be at least 5 MiB";
        var total = parts.Sum(p => p.Size);
        if (size is { } expected && expected != total) return $"The size given ({expected}) is not the size uploaded ({total})";
        if (eTags is not null)
        {
            if (eTags.Count != parts.Count) return $"{eTags.Count} eTags given for {parts.Count} parts";
            var unexpected = parts.Where((p, i) => Normalize(eTags[i]) != Normalize(p.ETag)).Select(p => p.Number).ToList();
            if (unexpected.Count > 0) return $"Part{(unexpected.Count > 1 ? "s" : "")} {string.Join(", ", unexpected.Take(20))} Unexpected: the eTag given is not the part's";
        }
        return null;
    }

    private static string Normalize(string? etag) => (etag ?? "").Trim().Trim('"').ToLowerInvariant();
}
