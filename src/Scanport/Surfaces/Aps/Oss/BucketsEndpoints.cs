using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;
using Scanport.Surfaces.Aps.Authentication;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>OSS buckets: create, list, details, delete. Keys are unique in the installation; another organization's bucket is not found.</summary>
internal static class BucketsEndpoints
{
    /// <summary>APS's regions (<c>x-ads-region</c>, <c>region</c>): labels here, where every bucket is in the one object store.</summary>
    public static readonly string[] Regions = ["US", "EMEA", "AUS", "APAC", "CAN", "DEU", "IND", "JPN", "GBR"];

    private static readonly string[] Policies = [OssCatalog.Transient, OssCatalog.Temporary, OssCatalog.Persistent];

    public static RouteGroupBuilder MapOssBuckets(this RouteGroupBuilder oss)
    {
        oss.MapPost("/buckets", Create).WithName("OssCreateBucket").WithSummary("Create a bucket")
            .RequireApsScope("bucket:create").Accepts<CreateBucketPayload>("application/json").ProducesErrors(409);
        oss.MapGet("/buckets", List).WithName("OssListBuckets").WithSummary("List the organization's buckets").RequireApsScope("bucket:read");
        oss.MapGet("/buckets/{bucketKey}/details", Details).WithName("OssBucketDetails").WithSummary("A bucket's details")
            .RequireApsScope("bucket:read", "viewables:read");
        oss.MapDelete("/buckets/{bucketKey}", Delete).WithName("OssDeleteBucket").WithSummary("Delete a bucket and its objects")
            .RequireApsScope("bucket:delete");
        return oss;
    }

    public static async Task<Results<Ok<OssBucketDetails>, ErrorResult>> Create(
        HttpContext context, Caller caller, CreateBucketPayload? body, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!Permissions.WritesApsData(caller)) return OssErrors.ReadOnly;
        if (body is null) return OssErrors.BadRequest("A JSON body with bucketKey and policyKey is required");
        if (!TenantBuckets.IsValidKey(body.BucketKey))
            return OssErrors.BadRequest("Valid field 'bucketKey' must be of the form [-_.a-z0-9]{3,128}");
        if (body.PolicyKey is null || !Policies.Contains(body.PolicyKey))
            return OssErrors.BadRequest("Valid field 'policyKey' must be one of transient, temporary, persistent");
        if (body.Allow is { } allow && !IsAllowList(allow))
            return OssErrors.BadRequest("Field 'allow' must be an array of {authId, access: full|read}");
        var region = (string?)context.Request.Headers["x-ads-region"] ?? context.Request.Headers["region"];
        if (region is null or "") region = "US";
        if (!Regions.Contains(region)) return OssErrors.BadRequest($"Region must be one of {string.Join(", ", Regions)}");

        var bucket = new OssBucket
        {
            Key = body.BucketKey!,
            OrgId = caller.OrgId,
            PolicyKey = body.PolicyKey,
            CreatedBy = caller.Id,
            Owner = OssRequests.ClientId(context.User, caller),
            Region = region,
            CreatedAt = clock.GetUtcNow(),
        };
        // Keys are one namespace for the installation, as at APS: a key another organization holds is taken too.
        if (await db.OssBuckets.AnyAsync(b => b.Key == bucket.Key, ct)) return Conflict;
        db.OssBuckets.Add(bucket);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Conflict; // created by someone else between the check and the insert
        }
        return TypedResults.Ok(ToDetails(bucket));
    }

    public static async Task<Results<Ok<OssBuckets>, ErrorResult>> List(HttpContext context, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (!Permissions.ReadsApsData(caller)) return OssErrors.NoRead;
        if (!OssRequests.TryInt(context, "limit", 10, 1, 100, out var limit, out var error)) return error!;
        var region = context.Request.Query["region"].ToString();
        if (region.Length > 0 && !Regions.Contains(region)) return OssErrors.BadRequest($"Region must be one of {string.Join(", ", Regions)}");
        var startAt = context.Request.Query["startAt"].ToString();
        var query = db.OssBuckets.AsNoTracking().Where(b => b.OrgId == caller.OrgId);
        if (region.Length > 0) query = query.Where(b => b.Region == region);
        if (startAt.Length > 0) query = query.Where(b => string.Compare(b.Key, startAt) > 0);
        var page = await query.OrderBy(b => b.Key).Take(limit + 1).Select(b => new { b.Key, b.CreatedAt, b.PolicyKey }).ToListAsync(ct);
        var items = page.Take(limit).Select(b => new OssBucketItem(b.Key, OssRequests.Epoch(b.CreatedAt), b.PolicyKey)).ToList();
        return TypedResults.Ok(new OssBuckets(items, page.Count > limit ? OssRequests.Next(context, items[^1].BucketKey) : null));
    }

    public static async Task<Results<Ok<OssBucketDetails>, ErrorResult>> Details(string bucketKey, Caller caller, OssCatalog catalog, CancellationToken ct)
    {
        if (!Permissions.ReadsApsData(caller)) return OssErrors.NoRead;
        if (!TenantBuckets.IsValidKey(bucketKey)) return OssErrors.BadRequest("Valid field 'bucketKey' must be of the form [-_.a-z0-9]{3,128}");
        return await catalog.FindBucketAsync(caller.OrgId, bucketKey, ct) is { } bucket ? TypedResults.Ok(ToDetails(bucket)) : OssErrors.BucketNotFound;
    }

    public static async Task<Results<Ok, ErrorResult>> Delete(string bucketKey, Caller caller, OssCatalog catalog, CancellationToken ct)
    {
        if (!Permissions.WritesApsData(caller)) return OssErrors.ReadOnly;
        if (!TenantBuckets.IsValidKey(bucketKey)) return OssErrors.BadRequest("Valid field 'bucketKey' must be of the form [-_.a-z0-9]{3,128}");
        if (await catalog.FindBucketAsync(caller.OrgId, bucketKey, ct) is not { } bucket) return OssErrors.BucketNotFound;
        await catalog.DeleteBucketAsync(bucket, ct);
        return TypedResults.Ok();
    }

    private static ErrorResult Conflict => new(ApiError.Conflict("Bucket already exists"));

    private static OssBucketDetails ToDetails(OssBucket b) =>
        new(b.Key, b.Owner, OssRequests.Epoch(b.CreatedAt), [new OssPermission(b.Owner, "full")], b.PolicyKey);

    private static bool IsAllowList(JsonElement allow) =>
        allow.ValueKind == JsonValueKind.Array && allow.EnumerateArray().All(a => a.ValueKind == JsonValueKind.Object
            && a.TryGetProperty("authId", out var id) && id.ValueKind == JsonValueKind.String
            && a.TryGetProperty("access", out var access) && access.GetString() is "full" or "read");
}
