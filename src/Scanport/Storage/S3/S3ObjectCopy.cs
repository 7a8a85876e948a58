using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Scanport.Storage.S3;

/// <summary>Server-side copies: the bytes stay in the bucket.</summary>
internal sealed partial class S3ObjectStore
{
    /// <summary>The largest object one CopyObject may copy; larger ones are copied in parts.</summary>
    private const long MaxSingleCopy = 5L * 1024 * 1024 * 1024;

    /// <summary>Parts of a multipart copy: 10,000 of them (S3's limit) reach 5 TiB, S3's largest object.</summary>
    private const long CopyPartSize = 512L * 1024 * 1024;

    public async Task<ObjectInfo?> CopyAsync(string bucket, string sourceKey, string destinationKey, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var source = await HeadAsync(bucket, sourceKey, ct);
            if (source is null) return null;
            try
            {
                // If-Match on the ETag read: a copy is of one version of the source, never of parts of two.
                if (source.Size <= MaxSingleCopy)
                    await _s3.CopyObjectAsync(new CopyObjectRequest
                    {
                        SourceBucket = bucket,
                        SourceKey = sourceKey,
                        DestinationBucket = bucket,
                        DestinationKey = destinationKey,
                        ETagToMatch = source.ETag,
                    }, ct);
                else
                    await CopyInPartsAsync(source, destinationKey, ct);
                return await HeadAsync(bucket, destinationKey, ct) ?? throw new IOException($"{bucket}/{destinationKey} is missing right after it was copied");
            }
            catch (AmazonS3Exception e) when (attempt < 3 && e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // The source changed or went away since it was read: read it again.
            }
        }
    }

    private async Task CopyInPartsAsync(ObjectInfo source, string destinationKey, CancellationToken ct)
    {
        var bucket = source.Bucket;
        var upload = await _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey, ContentType = source.ContentType }, ct);
        try
        {
            var parts = new List<PartETag>();
            for (var (number, from) = (1, 0L); from < source.Size; number++, from += CopyPartSize)
            {
                var response = await _s3.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = bucket,
                    SourceKey = source.Key,
                    DestinationBucket = bucket,
                    DestinationKey = destinationKey,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    FirstByte = from,
                    LastByte = Math.Min(from + CopyPartSize, source.Size) - 1,
                    ETagToMatch = [source.ETag],
                }, ct);
                parts.Add(new PartETag(number, response.ETag));
            }
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = destinationKey,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, ct);
        }
        catch
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = upload.UploadId },
                CancellationToken.None);
            throw;
        }
    }
}
