using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Scanport.Storage.S3;

/// <summary><see cref="IObjectStore"/>'s multipart uploads and response overrides through the AWS SDK.</summary>
internal sealed partial class S3ObjectStore
{
    public Uri PresignGet(string bucket, string key, TimeSpan lifetime, ResponseOverrides overrides)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = _clock.GetUtcNow().UtcDateTime.Add(lifetime),
            Protocol = Protocol(),
        };
        if (overrides.ContentType is { } type) request.ResponseHeaderOverrides.ContentType = type;
        if (overrides.ContentDisposition is { } disposition) request.ResponseHeaderOverrides.ContentDisposition = disposition;
        if (overrides.CacheControl is { } cache) request.ResponseHeaderOverrides.CacheControl = cache;
        return new Uri(_s3.GetPreSignedURL(request));
    }

    public async Task<string> StartMultipartUploadAsync(string bucket, string key, string? contentType, CancellationToken ct) =>
        (await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType }, ct)).UploadId;

    public Uri PresignUploadPart(string bucket, string key, string uploadId, int partNumber, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, 10_000);
        return new Uri(_s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            UploadId = uploadId,
            PartNumber = partNumber,
            Expires = _clock.GetUtcNow().UtcDateTime.Add(lifetime),
            Protocol = Protocol(),
        }));
    }

    public async Task<UploadedPart?> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, long length, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, 10_000);
        try
        {
            var response = await _s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = partNumber,
                InputStream = body,
                PartSize = length,
                UseChunkEncoding = _chunked,
            }, ct);
            return new UploadedPart(partNumber, response.ETag, length);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<UploadedPart>?> ListUploadedPartsAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        var parts = new List<UploadedPart>();
        try
        {
            string? marker = null;
            while (true)
            {
                var page = await _s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumberMarker = marker }, ct);
                parts.AddRange((page.Parts ?? []).Select(p => new UploadedPart(p.PartNumber ?? 0, p.ETag, p.Size ?? 0)));
                if (page.IsTruncated != true || page.NextPartNumberMarker is null or 0) break;
                marker = page.NextPartNumberMarker.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return parts.OrderBy(p => p.Number).ToList();
    }

    public async Task<ObjectInfo?> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<UploadedPart> parts, CancellationToken ct)
    {
        try
        {
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = parts.Select(p => new PartETag(p.Number, p.ETag)).ToList(),
            }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return await HeadAsync(bucket, key, ct) ?? throw new IOException($"{bucket}/{key} is missing right after its upload was completed");
    }

    public async Task<bool> AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
