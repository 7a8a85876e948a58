using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Storage.Embedded;

/// <summary>The <c>embedded</c> provider: objects in the data directory, their index in the database.</summary>
internal sealed partial class EmbeddedObjectStore(
    ScanportDb db, BlobFiles blobs, CredentialAuthority authority, EmbeddedEndpoint endpoint,
    IOptions<StorageOptions> options, TimeProvider clock, StorageMetrics metrics) : IObjectStore
{
    public Uri? PublicEndpoint => endpoint.Url;
    public string Region => options.Value.Region;

    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream body, string? contentType, CancellationToken ct)
    {
        var (info, error) = await PutAsync(bucket, key, body, contentType, null, ct);
        return info ?? throw new S3Exception(error!);
    }

    /// <summary>Writes a blob and then points the object's row at it; <paramref name="check"/> may refuse the body (a digest) before it becomes visible.</summary>
    public async Task<(ObjectInfo? Info, S3Error? Error)> PutAsync(string bucket, string key, Stream body, string? contentType,
        Func<byte[], S3Error?>? check, CancellationToken ct)
    {
        var (blob, size, md5, error) = await WriteBlobAsync(body, check, ct);
        if (error is not null) return (null, error);
        var (info, replaced) = await PublishAsync(bucket, key, contentType, size, $"\"{Convert.ToHexStringLower(md5)}\"", $"{blob}:{size}", ct);
        DeleteBlobs(replaced);
        return (info, null);
    }

    public async Task<ObjectContent?> GetAsync(string bucket, string key, ByteRange? range, CancellationToken ct)
    {
        var row = await db.Set<StoredObject>().AsNoTracking().FirstOrDefaultAsync(o => o.Bucket == bucket && o.Key == key, ct);
        if (row is null) return null;
        var info = ToInfo(row);
        var stream = new BlobSequenceStream(blobs, ParseBlobs(row.Blobs));
        if (range is not null) await stream.SkipAsync(range.From, ct);
        return new ObjectContent(info, range is null ? stream : new LimitedStream(stream, range.Length), range);
    }

    public async Task<ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken ct)
    {
        var row = await db.Set<StoredObject>().AsNoTracking().FirstOrDefaultAsync(o => o.Bucket == bucket && o.Key == key, ct);
        return row is null ? null : ToInfo(row);
    }

    public async Task<ObjectInfo?> CopyAsync(string bucket, string sourceKey, string destinationKey, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await db.Set<StoredObject>().AsNoTracking().FirstOrDefaultAsync(o => o.Bucket == bucket && o.Key == sourceKey, ct);
            if (row is null) return null;
            var shared = new List<(string Blob, long Size)>();
            try
            {
                foreach (var (blob, size) in ParseBlobs(row.Blobs)) shared.Add((await blobs.ShareAsync(blob, ct), size));
                var (info, replaced) = await PublishAsync(bucket, destinationKey, row.ContentType, row.Size, row.ETag,
                    string.Join('|', shared.Select(b => $"{b.Blob}:{b.Size}")), ct);
                DeleteBlobs(replaced);
                return info;
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
                // The source was overwritten, and its old blobs deleted, between reading its row and linking them: read it again.
                foreach (var (blob, _) in shared) blobs.Delete(blob);
            }
            catch
            {
                foreach (var (blob, _) in shared) blobs.Delete(blob);
                throw;
            }
        }
    }

    public async Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct) =>
        (await DeleteManyAsync(bucket, [key], ct)).Count > 0;

    public async Task<IReadOnlyList<string>> DeleteManyAsync(string bucket, IReadOnlyList<string> keys, CancellationToken ct)
    {
        if (keys.Count > IObjectStore.MaxKeysPerDelete) throw new ArgumentOutOfRangeException(nameof(keys), $"at most {IObjectStore.MaxKeysPerDelete} keys");
        if (keys.Count == 0) return [];
        var rows = await db.Set<StoredObject>().Where(o => o.Bucket == bucket && keys.Contains(o.Key)).ToListAsync(ct);
        if (rows.Count == 0) return [];
        db.RemoveRange(rows);
        await db.SaveChangesAsync(ct);
        foreach (var row in rows) DeleteBlobs(row.Blobs);
        return rows.Select(r => r.Key).ToList();
    }

    public async Task<ObjectListing> ListAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken ct)
    {
        var objects = new List<ObjectInfo>();
        var prefixes = new List<string>();
        var after = continuationToken ?? "";
        var query = db.Set<StoredObject>().AsNoTracking().Where(o => o.Bucket == bucket);
        while (objects.Count + prefixes.Count < maxKeys)
        {
            var cursor = after;
            var batch = await query.Where(o => o.Key.StartsWith(prefix) && string.Compare(o.Key, cursor) > 0)
                .OrderBy(o => o.Key).Take(Math.Min(1000, maxKeys + 1)).ToListAsync(ct);
            if (batch.Count == 0) return new ObjectListing(objects, prefixes, null);
            foreach (var row in batch)
            {
                if (string.CompareOrdinal(row.Key, after) <= 0) continue;
                if (objects.Count + prefixes.Count == maxKeys) return new ObjectListing(objects, prefixes, after);
                var cut = string.IsNullOrEmpty(delimiter) ? -1 : row.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    var common = row.Key[..(cut + delimiter!.Length)];
                    prefixes.Add(common);
                    after = common + char.MaxValue; // skip every key under this common prefix
                    break;
                }
                objects.Add(ToInfo(row));
                after = row.Key;
            }
        }
        var more = await query.AnyAsync(o => o.Key.StartsWith(prefix) && string.Compare(o.Key, after) > 0, ct);
        return new ObjectListing(objects, prefixes, more ? after : null);
    }

    public Uri PresignGet(string bucket, string key, TimeSpan lifetime) =>
        Presigner.Presign(endpoint.RequireUrl(), "GET", bucket, key, lifetime, new Dictionary<string, string>(),
            authority.RootAccessKeyId, authority.RootSecret, Region, clock.GetUtcNow());

    public Uri PresignPut(string bucket, string key, TimeSpan lifetime, IReadOnlyDictionary<string, string> signedHeaders) =>
        Presigner.Presign(endpoint.RequireUrl(), "PUT", bucket, key, lifetime, signedHeaders,
            authority.RootAccessKeyId, authority.RootSecret, Region, clock.GetUtcNow());

    public Task<TemporaryCredentials> IssueCredentialsAsync(CredentialScope scope, TimeSpan lifetime, CancellationToken ct) =>
        Task.FromResult(authority.Issue(scope, lifetime));

    // ---- multipart ----

    public async Task<string> CreateUploadAsync(string bucket, string key, string? contentType, CancellationToken ct)
    {
        var upload = new MultipartUpload
        {
            UploadId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            Bucket = bucket,
            Key = key,
            ContentType = contentType,
            Initiated = clock.GetUtcNow(),
        };
        db.Add(upload);
        await db.SaveChangesAsync(ct);
        return upload.UploadId;
    }

    /// <summary>The upload, with its parts unless <paramref name="withParts"/> is false (a part upload needs none, and an upload may have 10,000).</summary>
    public Task<MultipartUpload?> FindUploadAsync(string bucket, string key, string uploadId, CancellationToken ct, bool withParts = true)
    {
        var uploads = db.Set<MultipartUpload>().AsNoTracking();
        if (withParts) uploads = uploads.Include(u => u.Parts);
        return uploads.FirstOrDefaultAsync(u => u.UploadId == uploadId && u.Bucket == bucket && u.Key == key, ct);
    }

    public async Task<(UploadPart? Part, S3Error? Error)> UploadPartAsync(MultipartUpload upload, int partNumber, Stream body,
        Func<byte[], S3Error?>? check, CancellationToken ct)
    {
        var (blob, size, md5, error) = await WriteBlobAsync(body, check, ct);
        if (error is not null) return (null, error);
        var part = new UploadPart
        {
            UploadId = upload.UploadId,
            PartNumber = partNumber,
            Blob = blob,
            Size = size,
            ETag = $"\"{Convert.ToHexStringLower(md5)}\"",
            LastModified = clock.GetUtcNow(),
        };
        // A part number sent again replaces the earlier part.
        var old = await db.Set<UploadPart>().FirstOrDefaultAsync(p => p.UploadId == upload.UploadId && p.PartNumber == partNumber, ct);
        if (old is not null) db.Remove(old);
        db.Add(part);
        await db.SaveChangesAsync(ct);
        if (old is not null) blobs.Delete(old.Blob);
        return (part, null);
    }

    public const long MinPartSize = 5L * 1024 * 1024;

    public async Task<(ObjectInfo? Info, S3Error? Error)> CompleteUploadAsync(MultipartUpload upload, IReadOnlyList<(int Number, string ETag)> requested, CancellationToken ct)
    {
        if (requested.Count == 0) return (null, S3Error.MalformedXml);
        for (var i = 1; i < requested.Count; i++)
            if (requested[i].Number <= requested[i - 1].Number) return (null, S3Error.InvalidPartOrder);
        var parts = new List<UploadPart>();
        foreach (var (number, etag) in requested)
        {
            var part = upload.Parts.FirstOrDefault(p => p.PartNumber == number);
            if (part is null || NormalizeETag(part.ETag) != NormalizeETag(etag)) return (null, S3Error.InvalidPart);
            parts.Add(part);
        }
        if (parts.SkipLast(1).Any(p => p.Size < MinPartSize)) return (null, S3Error.EntityTooSmall);
        var md5s = parts.SelectMany(p => Convert.FromHexString(NormalizeETag(p.ETag))).ToArray();
        var etagOut = $"\"{Convert.ToHexStringLower(MD5.HashData(md5s))}-{parts.Count}\"";
        var unused = upload.Parts.Where(p => !parts.Contains(p)).Select(p => p.Blob).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (info, replaced) = await PublishAsync(upload.Bucket, upload.Key, upload.ContentType, parts.Sum(p => p.Size), etagOut,
            string.Join('|', parts.Select(p => $"{p.Blob}:{p.Size}")), ct);
        await db.Set<MultipartUpload>().Where(u => u.UploadId == upload.UploadId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        DeleteBlobs(replaced);
        foreach (var blob in unused) blobs.Delete(blob);
        return (info, null);
    }

    public async Task<bool> AbortUploadAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        var upload = await FindUploadAsync(bucket, key, uploadId, ct);
        if (upload is null) return false;
        await db.Set<MultipartUpload>().Where(u => u.UploadId == uploadId).ExecuteDeleteAsync(ct);
        foreach (var part in upload.Parts) blobs.Delete(part.Blob);
        return true;
    }

    // ---- internals ----

    private async Task<(string Blob, long Size, byte[] Md5, S3Error? Error)> WriteBlobAsync(Stream body, Func<byte[], S3Error?>? check, CancellationToken ct)
    {
        await using var pending = blobs.Create();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = pending.Buffer;
        long size = 0;
        var max = options.Value.MaxObjectSize;
        try
        {
            int n;
            // Fill the whole buffer before hashing and writing: the request body arrives in small segments,
            // one large write costs far less than many small ones, and only whole blocks bypass the page cache.
            while ((n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
            {
                size += n;
                if (size > max) return ("", 0, [], S3Error.EntityTooLarge);
                md5.AppendData(buffer.Span[..n]);
                await pending.WriteAsync(n, ct);
            }
        }
        catch (S3Exception e)
        {
            return ("", 0, [], e.Error);
        }
        var digest = md5.GetHashAndReset();
        if (check?.Invoke(digest) is { } refused) return ("", 0, [], refused);
        pending.Commit(ct);
        metrics.Written("embedded", size);
        return (pending.Name, size, digest, null);
    }

    /// <summary>Points the key's row at new blobs; returns the blobs it pointed at before, to delete once committed.</summary>
    private async Task<(ObjectInfo Info, string? Replaced)> PublishAsync(string bucket, string key, string? contentType, long size,
        string etag, string blobList, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = await db.Set<StoredObject>().FirstOrDefaultAsync(o => o.Bucket == bucket && o.Key == key, ct);
        var replaced = row?.Blobs;
        if (row is null)
        {
            row = new StoredObject { Bucket = bucket, Key = key, ETag = etag, Blobs = blobList };
            db.Add(row);
        }
        (row.Size, row.ETag, row.ContentType, row.LastModified, row.Blobs) = (size, etag, contentType, now, blobList);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (replaced is null && db.Database.CurrentTransaction is null)
        {
            // Another writer created the key first: this write replaces theirs.
            db.ChangeTracker.Clear();
            return await PublishAsync(bucket, key, contentType, size, etag, blobList, ct);
        }
        return (ToInfo(row), replaced);
    }

    private void DeleteBlobs(string? list)
    {
        if (list is null) return;
        foreach (var (blob, _) in ParseBlobs(list)) blobs.Delete(blob);
    }

    internal static List<(string Blob, long Size)> ParseBlobs(string list) =>
        list.Length == 0 ? [] : list.Split('|').Select(item =>
        {
            var colon = item.LastIndexOf(':');
            return (item[..colon], long.Parse(item[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }).ToList();

    private static string NormalizeETag(string etag) => etag.Trim().Trim('"').ToLowerInvariant();

    private static ObjectInfo ToInfo(StoredObject o) => new(o.Bucket, o.Key, o.Size, o.ETag, o.ContentType, o.LastModified);
}
