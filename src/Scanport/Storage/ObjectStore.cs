using System.Globalization;

namespace Scanport.Storage;

/// <summary>What a stored object is.</summary>
public sealed record ObjectInfo(string Bucket, string Key, long Size, string ETag, string? ContentType, DateTimeOffset LastModified);

/// <summary>A byte range of an object, as in HTTP: <c>From</c> inclusive, <c>To</c> inclusive.</summary>
public sealed record ByteRange(long From, long To)
{
    public long Length => To - From + 1;

    /// <summary>
    /// Reads an HTTP <c>Range</c> header against an object of <paramref name="size"/> bytes, as S3 does: one range of
    /// bytes is served; several ranges, other units or a malformed header are ignored (the whole object, true with a
    /// null range). False when the range starts past the end (416).
    /// </summary>
    public static bool TryParse(string? header, long size, out ByteRange? range)
    {
        range = null;
        if (string.IsNullOrEmpty(header)) return true;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',')) return true; // ignored, as S3 does
        var spec = header[6..];
        var dash = spec.IndexOf('-');
        if (dash < 0) return true;
        var (a, b) = (spec[..dash], spec[(dash + 1)..]);
        var ok1 = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var from);
        var ok2 = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var to);
        if (a.Length == 0 && ok2) { if (to == 0) return false; (from, to) = (Math.Max(0, size - to), size - 1); }
        else if (ok1 && b.Length == 0) to = size - 1;
        else if (!ok1 || !ok2 || to < from) return true;
        if (from >= size) return false;
        range = new ByteRange(from, Math.Min(to, size - 1));
        return true;
    }
}

/// <summary>An opened object: its description and a stream of its bytes (or of the requested range).</summary>
public sealed record ObjectContent(ObjectInfo Info, Stream Body, ByteRange? Range) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Body.DisposeAsync();
}

/// <summary>One page of a listing, in key order.</summary>
public sealed record ObjectListing(IReadOnlyList<ObjectInfo> Objects, IReadOnlyList<string> CommonPrefixes, string? NextContinuationToken);

/// <summary>What temporary credentials may do: these actions, on keys under this prefix of this bucket.</summary>
public sealed record CredentialScope(string Bucket, string Prefix, IReadOnlyList<string> Actions)
{
    public const string GetObject = "s3:GetObject";
    public const string PutObject = "s3:PutObject";
    public const string DeleteObject = "s3:DeleteObject";
    public const string ListBucket = "s3:ListBucket";

    public static readonly IReadOnlyList<string> UploadOnly = [PutObject, ListBucket];
    public static readonly IReadOnlyList<string> ReadWrite = [GetObject, PutObject, DeleteObject, ListBucket];

    public bool Allows(string action, string bucket, string key) =>
        bucket == Bucket && key.StartsWith(Prefix, StringComparison.Ordinal) && Actions.Contains(action);
}

/// <summary>A part of a multipart upload, as the store holds it.</summary>
public sealed record UploadedPart(int Number, string ETag, long Size);

/// <summary>Headers a presigned GET answers with instead of the stored ones (S3's <c>response-*</c> parameters); null: the stored one.</summary>
public sealed record ResponseOverrides(string? ContentType = null, string? ContentDisposition = null, string? CacheControl = null);

/// <summary>S3 credentials that expire, limited to a <see cref="CredentialScope"/>.</summary>
public sealed record TemporaryCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

/// <summary>
/// The one object-store interface of the platform. <c>embedded</c> serves it from the data directory behind an
/// S3-compatible endpoint; <c>s3</c> talks to AWS S3, MinIO or any S3-compatible server.
/// </summary>
public interface IObjectStore
{
    /// <summary>Streams <paramref name="body"/> into a new object (replacing any), atomically: readers see the old object or the whole new one.</summary>
    Task<ObjectInfo> PutAsync(string bucket, string key, Stream body, string? contentType, CancellationToken ct);

    Task<ObjectContent?> GetAsync(string bucket, string key, ByteRange? range, CancellationToken ct);

    Task<ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken ct);

    /// <summary>
    /// Copies an object to another key of the same bucket inside the store, no bytes passing through the caller: S3's
    /// CopyObject (UploadPartCopy past 5 GiB); the embedded store gives the copy links to the same blob files, which are
    /// never changed once written, so it costs no space. The copy is an object of its own: a later write or delete of
    /// the source does not reach it. Null when the source does not exist.
    /// </summary>
    Task<ObjectInfo?> CopyAsync(string bucket, string sourceKey, string destinationKey, CancellationToken ct);

    /// <summary>True when an object was deleted.</summary>
    Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct);

    /// <summary>
    /// Deletes up to <see cref="MaxKeysPerDelete"/> objects in one call (S3's DeleteObjects; one transaction in the
    /// embedded store). A key that names no object is not an error; S3 reports it deleted, the embedded store skips it.
    /// Returns the keys reported deleted.
    /// </summary>
    Task<IReadOnlyList<string>> DeleteManyAsync(string bucket, IReadOnlyList<string> keys, CancellationToken ct);

    /// <summary>S3's limit on the keys of one DeleteObjects request.</summary>
    const int MaxKeysPerDelete = 1000;

    Task<ObjectListing> ListAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken ct);

    /// <summary>A URL that lets anyone holding it GET the object until it expires.</summary>
    Uri PresignGet(string bucket, string key, TimeSpan lifetime);

    /// <summary>A URL that lets anyone holding it GET the object until it expires, answered with <paramref name="overrides"/>.</summary>
    Uri PresignGet(string bucket, string key, TimeSpan lifetime, ResponseOverrides overrides);

    /// <summary>A URL for one PUT; the signed headers (content type, sha256) must be sent exactly.</summary>
    Uri PresignPut(string bucket, string key, TimeSpan lifetime, IReadOnlyDictionary<string, string> signedHeaders);

    // Multipart uploads whose parts clients PUT straight to the store with presigned URLs; the server then completes them
    // with the parts the store says it has (the client names none).

    /// <summary>Starts a multipart upload of the key (S3's CreateMultipartUpload); returns its upload id.</summary>
    Task<string> StartMultipartUploadAsync(string bucket, string key, string? contentType, CancellationToken ct);

    /// <summary>A URL for one PUT of part <paramref name="partNumber"/> (1 to 10,000) of the upload (S3's UploadPart).</summary>
    Uri PresignUploadPart(string bucket, string key, string uploadId, int partNumber, TimeSpan lifetime);

    /// <summary>
    /// Stores <paramref name="length"/> bytes of <paramref name="body"/> as part <paramref name="partNumber"/> of the upload
    /// (S3's UploadPart), replacing a part of that number; null when there is no such upload. For uploads whose bytes
    /// come through the server (a resumable upload's chunks) rather than straight from the client.
    /// </summary>
    Task<UploadedPart?> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, long length, CancellationToken ct);

    /// <summary>The parts the store has received, in part order; null when there is no such upload (completed or aborted).</summary>
    Task<IReadOnlyList<UploadedPart>?> ListUploadedPartsAsync(string bucket, string key, string uploadId, CancellationToken ct);

    /// <summary>
    /// Completes the upload with <paramref name="parts"/> (as <see cref="ListUploadedPartsAsync"/> gave them), which becomes
    /// the object, replacing any; null when there is no such upload. Every part but the last must be at least 5 MiB.
    /// </summary>
    Task<ObjectInfo?> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<UploadedPart> parts, CancellationToken ct);

    /// <summary>Drops the upload and its parts; false when there was no such upload.</summary>
    Task<bool> AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct);

    /// <summary>Credentials an S3 client can use directly, allowed only what <paramref name="scope"/> says.</summary>
    Task<TemporaryCredentials> IssueCredentialsAsync(CredentialScope scope, TimeSpan lifetime, CancellationToken ct);

    /// <summary>The endpoint S3 clients should use, or null for AWS S3 itself.</summary>
    Uri? PublicEndpoint { get; }

    string Region { get; }
}

/// <summary>
/// Told when a client has stored an object through the embedded S3 endpoint (a PUT, or a completed multipart
/// upload), after it is durable and before the client hears so. A listener that fails does not fail the upload.
/// </summary>
public interface IObjectStoredListener
{
    Task OnStoredAsync(ObjectInfo stored, CancellationToken ct);
}

/// <summary>Calls every <see cref="IObjectStoredListener"/>; their failures are logged, never thrown.</summary>
public sealed class ObjectNotifications(IEnumerable<IObjectStoredListener> listeners, ILogger<ObjectNotifications> logger)
{
    private readonly IObjectStoredListener[] _listeners = listeners.ToArray();

    public async Task StoredAsync(ObjectInfo stored, CancellationToken ct)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnStoredAsync(stored, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Listener {Listener} failed for {Bucket}/{Key}", listener.GetType().Name, stored.Bucket, stored.Key);
            }
        }
    }
}
