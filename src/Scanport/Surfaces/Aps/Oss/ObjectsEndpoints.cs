using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;
using Scanport.Surfaces.Aps.Authentication;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>OSS objects: list, details, delete. Object keys are URL-encoded in the path and may hold <c>/</c> (as <c>%2F</c>).</summary>
internal static class ObjectsEndpoints
{
    public static RouteGroupBuilder MapOssObjects(this RouteGroupBuilder oss)
    {
        oss.MapGet("/buckets/{bucketKey}/objects", List).WithName("OssListObjects").WithSummary("List a bucket's objects").RequireApsScope("data:read");
        oss.MapGet("/buckets/{bucketKey}/objects/{objectKey}/details", Details).WithName("OssObjectDetails").WithSummary("An object's details")
            .RequireApsScope("data:read");
        oss.MapDelete("/buckets/{bucketKey}/objects/{objectKey}", Delete).WithName("OssDeleteObject").WithSummary("Delete an object")
            .RequireApsScope("data:write");
        return oss;
    }

    public static async Task<Results<Ok<OssObjects>, ErrorResult>> List(
        HttpContext context, string bucketKey, Caller caller, OssCatalog catalog, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!Permissions.ReadsApsData(caller)) return OssErrors.NoRead;
        if ((await BucketAsync(caller, bucketKey, catalog, ct)).Error is { } missing) return missing;
        if (!OssRequests.TryInt(context, "limit", 10, 1, 100, out var limit, out var error)) return error!;
        var beginsWith = context.Request.Query["beginsWith"].ToString();
        var startAt = context.Request.Query["startAt"].ToString();
        var now = clock.GetUtcNow();
        var query = db.OssObjects.AsNoTracking().Where(o => o.BucketKey == bucketKey && (o.ExpiresAt == null || o.ExpiresAt > now));
        if (beginsWith.Length > 0) query = query.Where(o => o.ObjectKey.StartsWith(beginsWith));
        if (startAt.Length > 0) query = query.Where(o => string.Compare(o.ObjectKey, startAt) > 0);
        var page = await query.OrderBy(o => o.ObjectKey).Take(limit + 1).ToListAsync(ct);
        var items = page.Take(limit).Select(o => OssRequests.Details(context, o)).ToList();
        return TypedResults.Ok(new OssObjects(items, page.Count > limit ? OssRequests.Next(context, items[^1].ObjectKey) : null));
    }

    public static async Task<Results<Ok<OssObjectDetails>, StatusCodeHttpResult, ErrorResult>> Details(
        HttpContext context, string bucketKey, Caller caller, OssCatalog catalog, CancellationToken ct)
    {
        if (!Permissions.ReadsApsData(caller)) return OssErrors.NoRead;
        var found = await ObjectAsync(context, caller, bucketKey, catalog, ct);
        if (found.Object is not { } o) return found.Error!;
        if (NotModifiedSince(context, o.ModifiedAt)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var with = context.Request.Query["with"].SelectMany(w => (w ?? "").Split(',')).ToHashSet();
        return TypedResults.Ok(OssRequests.Details(context, o) with
        {
            CreatedDate = with.Contains("createdDate") ? OssRequests.Epoch(o.CreatedAt) : null,
            LastAccessedDate = with.Contains("lastAccessedDate") ? OssRequests.Epoch(o.AccessedAt ?? o.ModifiedAt) : null,
            LastModifiedDate = with.Contains("lastModifiedDate") ? OssRequests.Epoch(o.ModifiedAt) : null,
        });
    }

    public static async Task<Results<Ok, ErrorResult>> Delete(HttpContext context, string bucketKey, Caller caller, OssCatalog catalog, CancellationToken ct)
    {
        if (!Permissions.WritesApsData(caller)) return OssErrors.ReadOnly;
        var found = await BucketAsync(caller, bucketKey, catalog, ct);
        if (found.Bucket is not { } bucket) return found.Error!;
        if (OssRequests.ObjectKey(context) is not { } objectKey || catalog.Location(bucket.OrgId, bucket.Key, objectKey) is null)
            return OssErrors.BadRequest("Invalid object key");
        return await catalog.DeleteObjectAsync(bucket, objectKey, ct) ? TypedResults.Ok() : OssErrors.ObjectNotFound;
    }

    /// <summary>The caller's bucket, or why not: a bad key (400), or no such bucket in its organization (404).</summary>
    internal static async Task<Found> BucketAsync(Caller caller, string bucketKey, OssCatalog catalog, CancellationToken ct)
    {
        if (!TenantBuckets.IsValidKey(bucketKey)) return new(null, null, OssErrors.BadRequest("Valid field 'bucketKey' must be of the form [-_.a-z0-9]{3,128}"));
        return await catalog.FindBucketAsync(caller.OrgId, bucketKey, ct) is { } bucket ? new(bucket, null, null) : new(null, null, OssErrors.BucketNotFound);
    }

    /// <summary>The caller's object named by the path, or why not (400, or 404 for the bucket or the object).</summary>
    internal static async Task<Found> ObjectAsync(HttpContext context, Caller caller, string bucketKey, OssCatalog catalog, CancellationToken ct)
    {
        var bucket = await BucketAsync(caller, bucketKey, catalog, ct);
        if (bucket.Bucket is null) return bucket;
        if (OssRequests.ObjectKey(context) is not { } objectKey || catalog.Location(caller.OrgId, bucketKey, objectKey) is null)
            return new(null, null, OssErrors.BadRequest("Invalid object key"));
        return await catalog.FindObjectAsync(caller.OrgId, bucketKey, objectKey, ct) is { } o ? new(bucket.Bucket, o, null) : new(null, null, OssErrors.ObjectNotFound);
    }

    /// <summary><c>If-Modified-Since</c> given and the object not changed since.</summary>
    internal static bool NotModifiedSince(HttpContext context, DateTimeOffset modified) =>
        DateTimeOffset.TryParse(context.Request.Headers.IfModifiedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
        && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();

    /// <summary>A lookup's outcome: the bucket and object found, or the error to answer.</summary>
    internal sealed record Found(OssBucket? Bucket, OssObject? Object, ErrorResult? Error);
}
