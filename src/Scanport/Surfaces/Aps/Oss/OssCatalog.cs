using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Storage;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>
/// OSS's buckets and objects, for the OSS endpoints and for Model Derivative: what exists (rows), where its bytes are (the
/// organization's logical bucket in the object store), and how an object is stored (streamed, hashed on the way). Every
/// lookup takes the caller's organization: another organization's bucket is not found.
/// </summary>
public sealed class OssCatalog(ScanportDb db, IObjectStore store, TenantBuckets tenants, TimeProvider clock)
{
    public const string Transient = "transient";
    public const string Temporary = "temporary";
    public const string Persistent = "persistent";

    /// <summary>How long each policy keeps an object after it was last written; null: until deleted.</summary>
    public static TimeSpan? Retention(string policyKey) => policyKey switch
    {
        Transient => TimeSpan.FromHours(24),
        Temporary => TimeSpan.FromDays(30),
        _ => null,
    };

    public Task<OssBucket?> FindBucketAsync(Guid orgId, string bucketKey, CancellationToken ct) =>
        db.OssBuckets.AsNoTracking().FirstOrDefaultAsync(b => b.Key == bucketKey && b.OrgId == orgId, ct);

    /// <summary>The object, when its bucket is the organization's and the bucket's policy has not expired it.</summary>
    public async Task<OssObject?> FindObjectAsync(Guid orgId, string bucketKey, string objectKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var buckets = db.OssBuckets;
        return await db.OssObjects.AsNoTracking()
            .Where(o => o.BucketKey == bucketKey && o.ObjectKey == objectKey && (o.ExpiresAt == null || o.ExpiresAt > now))
            .Where(o => buckets.Any(b => b.Key == o.BucketKey && b.OrgId == orgId))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Where the bytes of an object of the organization's bucket are: the store's bucket and key.</summary>
    public (string Bucket, string Key)? Location(Guid orgId, string bucketKey, string objectKey) =>
        tenants.Find(orgId, bucketKey) is { } logical && logical.ObjectKey(objectKey) is { } key ? (logical.Bucket, key) : null;

    /// <summary>Opens an object's bytes (or a range of them); null when the store no longer has it.</summary>
    public async Task<ObjectContent?> OpenAsync(Guid orgId, OssObject entry, ByteRange? range, CancellationToken ct) =>
        Location(orgId, entry.BucketKey, entry.ObjectKey) is { } at ? await store.GetAsync(at.Bucket, at.Key, range, ct) : null;

    /// <summary>
    /// Streams <paramref name="body"/> into the object (replacing any) and records it with its SHA-1, read back from the
    /// store as a completed signed upload's is. The row is written after the bytes are durable; a replaced object keeps
    /// its creation date.
    /// </summary>
    public async Task<OssObject> StoreAsync(OssBucket bucket, string objectKey, Stream body, string? contentType, CancellationToken ct)
    {
        var at = Location(bucket.OrgId, bucket.Key, objectKey) ?? throw new ArgumentException("Not a valid object key", nameof(objectKey));
        var info = await store.PutAsync(at.Bucket, at.Key, body, contentType, ct);
        return await RecordAsync(bucket, objectKey, info.Size, await Sha1Async(at, ct), contentType, ct);
    }

    /// <summary>SHA-1 of a stored object, lowercase hex, streamed from the store: memory stays at one buffer whatever the size.</summary>
    public async Task<string> Sha1Async((string Bucket, string Key) at, CancellationToken ct)
    {
        await using var content = await store.GetAsync(at.Bucket, at.Key, null, ct) ?? throw new IOException($"{at.Bucket}/{at.Key} is missing right after it was stored");
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = new byte[1024 * 1024];
        int n;
        while ((n = await content.Body.ReadAsync(buffer, ct)) > 0) sha1.AppendData(buffer, 0, n);
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    /// <summary>Records an object whose bytes are already in the store (a completed signed upload, for instance).</summary>
    public async Task<OssObject> RecordAsync(OssBucket bucket, string objectKey, long size, string sha1Hex, string? contentType, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expires = Retention(bucket.PolicyKey) is { } keep ? now + keep : (DateTimeOffset?)null;
        var entry = await db.OssObjects.FirstOrDefaultAsync(o => o.BucketKey == bucket.Key && o.ObjectKey == objectKey, ct);
        if (entry is null)
        {
            entry = new OssObject { BucketKey = bucket.Key, ObjectKey = objectKey, Sha1 = sha1Hex, CreatedAt = now };
            db.OssObjects.Add(entry);
        }
        entry.Size = size;
        entry.Sha1 = sha1Hex;
        entry.ContentType = contentType;
        entry.ModifiedAt = now;
        entry.AccessedAt = now;
        entry.ExpiresAt = expires;
        await db.SaveChangesAsync(ct);
        return entry;
    }

    /// <summary>Deletes the object's row, then its bytes; false when the bucket had no such object.</summary>
    public async Task<bool> DeleteObjectAsync(OssBucket bucket, string objectKey, CancellationToken ct)
    {
        var deleted = await db.OssObjects.Where(o => o.BucketKey == bucket.Key && o.ObjectKey == objectKey).ExecuteDeleteAsync(ct);
        if (deleted > 0 && Location(bucket.OrgId, bucket.Key, objectKey) is { } at) await store.DeleteAsync(at.Bucket, at.Key, ct);
        return deleted > 0;
    }

    /// <summary>
    /// Deletes the bucket with its objects' and uploads' rows (one transaction), then its bytes: every key under its prefix
    /// and the store's unfinished uploads. The key is free again at once.
    /// </summary>
    public async Task DeleteBucketAsync(OssBucket bucket, CancellationToken ct)
    {
        var uploads = await db.OssUploads.AsNoTracking().Where(u => u.BucketKey == bucket.Key).ToListAsync(ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.OssUploads.Where(u => u.BucketKey == bucket.Key).ExecuteDeleteAsync(ct);
            await db.OssObjects.Where(o => o.BucketKey == bucket.Key).ExecuteDeleteAsync(ct);
            await db.OssBuckets.Where(b => b.Key == bucket.Key && b.OrgId == bucket.OrgId).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        foreach (var upload in uploads) await AbortAsync(upload, ct);
        if (tenants.Find(bucket.OrgId, bucket.Key) is not { } logical) return;
        string? token = null;
        do
        {
            var page = await store.ListAsync(logical.Bucket, logical.Prefix, null, IObjectStore.MaxKeysPerDelete, token, ct);
            if (page.Objects.Count > 0) await store.DeleteManyAsync(logical.Bucket, page.Objects.Select(o => o.Key).ToList(), ct);
            token = page.NextContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Drops an upload's parts from the store (the row is the caller's to delete).</summary>
    public async Task AbortAsync(OssUpload upload, CancellationToken ct)
    {
        if (tenants.Find(upload.OrgId, upload.BucketKey) is { } logical && logical.ObjectKey(upload.ObjectKey) is { } key)
            await store.AbortMultipartUploadAsync(logical.Bucket, key, upload.StoreUploadId, ct);
    }

    /// <summary>
    /// Removes what the buckets' policies have expired (objects of transient and temporary buckets) and uploads not completed
    /// in time, rows first and bytes after, a batch at a time. Returns how many objects and uploads went.
    /// </summary>
    public async Task<(int Objects, int Uploads)> PruneAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        int objects = 0, uploads = 0;
        while (true)
        {
            var expired = await db.OssObjects.AsNoTracking().Where(o => o.ExpiresAt != null && o.ExpiresAt <= now)
                .Join(db.OssBuckets, o => o.BucketKey, b => b.Key, (o, b) => new { o.BucketKey, o.ObjectKey, b.OrgId })
                .Take(500).ToListAsync(ct);
            if (expired.Count == 0) break;
            foreach (var o in expired)
            {
                // Only what is still expired: an object written again meanwhile has a new expiry, and keeps its bytes.
                var gone = await db.OssObjects.Where(x => x.BucketKey == o.BucketKey && x.ObjectKey == o.ObjectKey && x.ExpiresAt <= now).ExecuteDeleteAsync(ct);
                if (gone == 0) continue;
                objects++;
                if (Location(o.OrgId, o.BucketKey, o.ObjectKey) is { } at) await store.DeleteAsync(at.Bucket, at.Key, ct);
            }
        }
        while (true)
        {
            var stale = await db.OssUploads.AsNoTracking().Where(u => u.ExpiresAt <= now).Take(500).ToListAsync(ct);
            if (stale.Count == 0) break;
            foreach (var upload in stale)
            {
                if (await db.OssUploads.Where(u => u.UploadKey == upload.UploadKey).ExecuteDeleteAsync(ct) == 0) continue;
                uploads++;
                await AbortAsync(upload, ct);
            }
        }
        return (objects, uploads);
    }
}
