using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Scanport.ApsCloud;

/// <summary>OSS v2: buckets, and objects moved through signed S3 URLs in 5 MiB parts.</summary>
public sealed class ApsOss
{
    /// <summary>The part size: S3's least for every part but the last, so memory holds one part whatever the file's size.</summary>
    public const int PartSize = 5 * 1024 * 1024;

    private readonly ApsTransport _transport;
    private readonly Uri _base;
    private readonly ApsBearer _token;

    internal ApsOss(ApsTransport transport, Uri baseUrl, ApsBearer token) => (_transport, _base, _token) = (transport, baseUrl, token);

    /// <summary>
    /// Creates the bucket; true when created, false when it already exists and is this application's (APS's 409, then
    /// its details readable with our token). A 409 for a bucket we cannot read is another's: <see cref="ApsFailure.Conflict"/>.
    /// </summary>
    public async Task<bool> CreateBucketAsync(string bucketKey, string policyKey = "persistent", string region = "US", CancellationToken ct = default)
    {
        try
        {
            // A retried create that had succeeded answers 409, which the check below makes a success: safe to replay.
            using var _ = await _transport.SendAsync("create bucket", ApsCloudClient.Json(HttpMethod.Post, Url("oss/v2/buckets"),
                new { bucketKey, policyKey }, ("x-ads-region", region)), Replay.Safe, _token, ct);
            return true;
        }
        catch (ApsCloudException e) when (e.Kind == ApsFailure.Conflict)
        {
            try
            {
                await BucketAsync(bucketKey, ct);
                return false;
            }
            catch (ApsCloudException other) when (other.Kind is ApsFailure.NotFound or ApsFailure.AuthFailed)
            {
                throw new ApsCloudException(ApsFailure.Conflict, $"create bucket: {bucketKey} exists and is another application's", e.Status,
                    e.ErrorCode, e.Reason, e.DeveloperMessage, e);
            }
        }
    }

    public Task<ApsBucket> BucketAsync(string bucketKey, CancellationToken ct = default) =>
        _transport.JsonAsync<ApsBucket>("bucket details", ApsCloudClient.Plain(HttpMethod.Get, Url($"oss/v2/buckets/{Escape(bucketKey)}/details")),
            Replay.Safe, _token, ct);

    /// <summary>Deletes the bucket and its objects; a bucket already gone is fine.</summary>
    public Task DeleteBucketAsync(string bucketKey, CancellationToken ct = default) =>
        DeleteAsync("delete bucket", Url($"oss/v2/buckets/{Escape(bucketKey)}"), ct);

    public Task<ApsObject> ObjectAsync(string bucketKey, string objectKey, CancellationToken ct = default) =>
        _transport.JsonAsync<ApsObject>("object details", ApsCloudClient.Plain(HttpMethod.Get, ObjectUrl(bucketKey, objectKey, "/details")), Replay.Safe, _token, ct);

    /// <summary>Deletes the object; one already gone is fine.</summary>
    public Task DeleteObjectAsync(string bucketKey, string objectKey, CancellationToken ct = default) =>
        DeleteAsync("delete object", ObjectUrl(bucketKey, objectKey, ""), ct);

    /// <summary>
    /// Uploads the stream as the object, as APS's SDKs do: upload URLs asked for in batches (<c>firstPart</c>, then the
    /// <c>uploadKey</c>), each 5 MiB part PUT to its presigned URL without the bearer, then completed with the
    /// <c>uploadKey</c>. Only one part is in memory at a time; the stream is read once. A stream longer than
    /// <paramref name="length"/> (or a seekable stream's length) is an upload APS refuses at completion.
    /// </summary>
    public async Task<ApsObject> UploadAsync(string bucketKey, string objectKey, Stream content, string? contentType = null, long? length = null,
        CancellationToken ct = default)
    {
        // APS expects every part it gave a URL for, so URLs are asked for only for parts known to exist: all of them when
        // the length is known, else one at a time as each part is read.
        length ??= content.CanSeek ? content.Length - content.Position : null;
        var totalParts = length is { } known ? Math.Max(1, (int)((known + PartSize - 1) / PartSize)) : (int?)null;
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            string? uploadKey = null;
            var urls = new Queue<string>();
            long size = 0;
            for (var part = 1; ; part++)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, ct);
                if (read == 0 && part > 1) break;
                if (urls.Count == 0)
                {
                    var count = totalParts is { } total ? Math.Clamp(total - part + 1, 1, _transport.Options.UploadUrlBatch) : 1;
                    var batch = await UploadUrlsAsync(bucketKey, objectKey, part, count, uploadKey, ct);
                    uploadKey = batch.UploadKey;
                    foreach (var url in batch.Urls!) urls.Enqueue(url);
                }
                await PutPartAsync(bucketKey, objectKey, part, urls.Dequeue(), buffer, read, uploadKey!, ct);
                sha1.AppendData(buffer, 0, read);
                size += read;
                if (read < PartSize) break;
            }

            var headers = contentType is null ? [] : new[] { ("x-ads-meta-Content-Type", contentType) };
            // Completion is not replayed on a 5xx: a completion that went through leaves no upload to complete again.
            var done = await _transport.JsonAsync<ApsObject>("complete upload", ApsCloudClient.Json(HttpMethod.Post, ObjectUrl(bucketKey, objectKey, "/signeds3upload"),
                new { uploadKey, size }, headers), Replay.ThrottledOnly, _token, ct);
            var sent = Convert.ToHexStringLower(sha1.GetHashAndReset());
            if (done.Sha1 is { Length: > 0 } stored && !string.Equals(stored, sent, StringComparison.OrdinalIgnoreCase))
                throw new ApsCloudException(ApsFailure.ApiError, $"upload: APS stored SHA-1 {stored}, the bytes sent were {sent}");
            return done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A signed URL to GET the object from, for <paramref name="minutes"/> (1 to 60).</summary>
    public Task<ApsSignedDownload> SignedDownloadAsync(string bucketKey, string objectKey, int minutes = 2, CancellationToken ct = default) =>
        _transport.JsonAsync<ApsSignedDownload>("signed download", ApsCloudClient.Plain(HttpMethod.Get,
            ObjectUrl(bucketKey, objectKey, $"/signeds3download?minutesExpiration={minutes}")), Replay.Safe, _token, ct);

    /// <summary>The object's bytes, streamed from its signed URL; dispose the stream.</summary>
    public async Task<Stream> DownloadAsync(string bucketKey, string objectKey, CancellationToken ct = default)
    {
        var signed = await SignedDownloadAsync(bucketKey, objectKey, ct: ct);
        if (signed.Url is not { Length: > 0 } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new ApsCloudException(ApsFailure.ApiError, "download: APS gave no signed URL");
        var response = await _transport.SendAsync("download", () => new HttpRequestMessage(HttpMethod.Get, uri), Replay.Safe, null, ct, stream: true);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct));
    }

    private Task<SignedUpload> UploadUrlsAsync(string bucketKey, string objectKey, int firstPart, int parts, string? uploadKey, CancellationToken ct)
    {
        var query = $"/signeds3upload?parts={parts}&firstPart={firstPart}&minutesExpiration=60"
            + (uploadKey is null ? "" : $"&uploadKey={Uri.EscapeDataString(uploadKey)}");
        return UrlsAsync();

        async Task<SignedUpload> UrlsAsync()
        {
            var batch = await _transport.JsonAsync<SignedUpload>("upload URLs", ApsCloudClient.Plain(HttpMethod.Get, ObjectUrl(bucketKey, objectKey, query)),
                Replay.Safe, _token, ct);
            if (batch.UploadKey is not { Length: > 0 } || batch.Urls is not { Count: > 0 })
                throw new ApsCloudException(ApsFailure.ApiError, "upload URLs: APS answered no uploadKey or no URLs");
            return batch;
        }
    }

    /// <summary>PUTs one part; a URL that expired meanwhile (403) is asked for again once.</summary>
    private async Task PutPartAsync(string bucketKey, string objectKey, int part, string url, byte[] buffer, int count, string uploadKey, CancellationToken ct)
    {
        for (var renewed = false; ; renewed = true)
        {
            try
            {
                var target = new Uri(url);
                using var _ = await _transport.SendAsync($"upload part {part}", () => new HttpRequestMessage(HttpMethod.Put, target)
                {
                    Content = new ByteArrayContent(buffer, 0, count),
                }, Replay.Safe, null, ct);
                return;
            }
            catch (ApsCloudException e) when (!renewed && e.Status == HttpStatusCode.Forbidden)
            {
                var again = await _transport.JsonAsync<SignedUpload>("upload URL", ApsCloudClient.Plain(HttpMethod.Get, ObjectUrl(bucketKey, objectKey,
                    $"/signeds3upload?parts=1&firstPart={part}&uploadKey={Uri.EscapeDataString(uploadKey)}")), Replay.Safe, _token, ct);
                url = again.Urls?.FirstOrDefault() ?? throw new ApsCloudException(ApsFailure.ApiError, "upload URL: APS answered no URL");
            }
        }
    }

    private async Task DeleteAsync(string operation, Uri url, CancellationToken ct)
    {
        using var _ = await _transport.SendAsync(operation, ApsCloudClient.Plain(HttpMethod.Delete, url), Replay.Safe, _token, ct,
            accept: r => r.StatusCode == HttpStatusCode.NotFound);
    }

    private Uri Url(string path) => new(_base, path);

    private Uri ObjectUrl(string bucketKey, string objectKey, string rest) =>
        Url($"oss/v2/buckets/{Escape(bucketKey)}/objects/{Escape(objectKey)}{rest}");

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private sealed record SignedUpload(
        [property: JsonPropertyName("uploadKey")] string? UploadKey,
        [property: JsonPropertyName("urls")] IReadOnlyList<string>? Urls);
}

/// <summary>OSS's bucket details.</summary>
public sealed record ApsBucket(
    [property: JsonPropertyName("bucketKey")] string BucketKey,
    [property: JsonPropertyName("bucketOwner")] string? BucketOwner,
    [property: JsonPropertyName("createdDate")] long? CreatedDate,
    [property: JsonPropertyName("policyKey")] string? PolicyKey);

/// <summary>OSS's object details.</summary>
public sealed record ApsObject(
    [property: JsonPropertyName("bucketKey")] string BucketKey,
    [property: JsonPropertyName("objectKey")] string ObjectKey,
    [property: JsonPropertyName("objectId")] string ObjectId,
    [property: JsonPropertyName("sha1")] string? Sha1,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("location")] string? Location)
{
    /// <summary>The object's URN for Model Derivative: its id in base64url without padding.</summary>
    public string Urn => ApsUrns.Encode(ObjectId);
}

/// <summary>OSS's signed download: the URL and what it serves.</summary>
public sealed record ApsSignedDownload(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("sha1")] string? Sha1);

/// <summary>A response body that disposes its response with it.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
{
    public HttpResponseMessage Response => response;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
