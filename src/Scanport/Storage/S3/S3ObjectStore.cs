using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Options;

namespace Scanport.Storage.S3;

/// <summary>
/// The <c>s3</c> provider: AWS S3, MinIO or any S3-compatible server through the AWS SDK. Temporary credentials
/// come from STS AssumeRole with an inline session policy that allows only the scope's prefix.
/// </summary>
internal sealed partial class S3ObjectStore : IObjectStore, IDisposable
{
    private const int PartSize = 8 * 1024 * 1024;
    private readonly AmazonS3Client _s3;
    private readonly AmazonSecurityTokenServiceClient? _sts;
    private readonly S3ProviderOptions _options;

    private readonly TimeProvider _clock;
    // aws-chunked bodies only for AWS itself; other servers get plain signed bodies (see the constructor).
    private readonly bool _chunked;
    private readonly StorageMetrics? _metrics;

    public S3ObjectStore(IOptions<StorageOptions> options, TimeProvider clock, StorageMetrics? metrics = null)
    {
        _clock = clock;
        _metrics = metrics;
        _options = options.Value.S3;
        Region = options.Value.Region;
        AWSCredentials? credentials = _options.AccessKeyId is { Length: > 0 } id ? new BasicAWSCredentials(id, _options.SecretAccessKey) : null;
        var config = new AmazonS3Config { ForcePathStyle = _options.ForcePathStyle, AuthenticationRegion = Region };
        if (_options.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
            // S3-compatible servers often predate the SDK's default flexible checksums (aws-chunked bodies with a
            // CRC trailer) and would store the chunk framing as the object: send checksums only where required.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(Region);
        _s3 = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        if (_options.RoleArn is { Length: > 0 })
        {
            var stsConfig = new AmazonSecurityTokenServiceConfig { AuthenticationRegion = Region };
            if ((_options.StsServiceUrl ?? _options.ServiceUrl) is { Length: > 0 } sts) stsConfig.ServiceURL = sts;
            else stsConfig.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(Region);
            _sts = credentials is null ? new AmazonSecurityTokenServiceClient(stsConfig) : new AmazonSecurityTokenServiceClient(credentials, stsConfig);
        }
        _chunked = _options.ServiceUrl is not { Length: > 0 };
        PublicEndpoint = _options.ServiceUrl is { Length: > 0 } endpoint ? new Uri(endpoint) : null;
    }

    public Uri? PublicEndpoint { get; }
    public string Region { get; }

    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream body, string? contentType, CancellationToken ct)
    {
        if (body.CanSeek)
        {
            var put = new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                ContentType = contentType,
                UseChunkEncoding = _chunked,
            };
            await _s3.PutObjectAsync(put, ct);
        }
        else
        {
            await MultipartAsync(bucket, key, body, contentType, ct);
        }
        var stored = await HeadAsync(bucket, key, ct) ?? throw new IOException($"{bucket}/{key} is missing right after it was written");
        _metrics?.Written("s3", stored.Size);
        return stored;
    }

    /// <summary>A stream of unknown length goes up in 8 MiB parts: memory stays at one part whatever the size.</summary>
    private async Task MultipartAsync(string bucket, string key, Stream body, string? contentType, CancellationToken ct)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType }, ct);
        var parts = new List<PartETag>();
        var buffer = new byte[PartSize];
        try
        {
            for (var number = 1; ; number++)
            {
                var filled = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                if (filled == 0 && number > 1) break;
                using var part = new MemoryStream(buffer, 0, filled, writable: false);
                var response = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    InputStream = part,
                    PartSize = filled,
                    UseChunkEncoding = _chunked,
                }, ct);
                parts.Add(new PartETag(number, response.ETag));
                if (filled < buffer.Length) break;
            }
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, ct);
        }
        catch
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            throw;
        }
    }

    public async Task<ObjectContent?> GetAsync(string bucket, string key, ByteRange? range, CancellationToken ct)
    {
        try
        {
            var request = new GetObjectRequest { BucketName = bucket, Key = key };
            if (range is not null) request.ByteRange = new Amazon.S3.Model.ByteRange(range.From, range.To);
            var response = await _s3.GetObjectAsync(request, ct);
            var size = range is null ? response.ContentLength : response.ContentRange is { } cr && long.TryParse(cr[(cr.LastIndexOf('/') + 1)..], out var total) ? total : response.ContentLength;
            return new ObjectContent(new ObjectInfo(bucket, key, size, response.ETag, response.Headers.ContentType,
                response.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime()) : DateTimeOffset.MinValue), response.ResponseStream, range);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            var m = await _s3.GetObjectMetadataAsync(bucket, key, ct);
            return new ObjectInfo(bucket, key, m.ContentLength, m.ETag, m.Headers.ContentType,
                m.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime()) : DateTimeOffset.MinValue);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct)
    {
        if (await HeadAsync(bucket, key, ct) is null) return false;
        await _s3.DeleteObjectAsync(bucket, key, ct);
        return true;
    }

    public async Task<IReadOnlyList<string>> DeleteManyAsync(string bucket, IReadOnlyList<string> keys, CancellationToken ct)
    {
        if (keys.Count > IObjectStore.MaxKeysPerDelete) throw new ArgumentOutOfRangeException(nameof(keys), $"at most {IObjectStore.MaxKeysPerDelete} keys");
        if (keys.Count == 0) return [];
        var response = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = keys.Select(k => new KeyVersion { Key = k }).ToList(),
            Quiet = false,
        }, ct);
        if (response.DeleteErrors is { Count: > 0 } errors)
            throw new AmazonS3Exception($"{errors.Count} of {keys.Count} objects were not deleted; {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
        return response.DeletedObjects?.Select(d => d.Key).ToList() ?? [];
    }

    public async Task<ObjectListing> ListAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken ct)
    {
        var response = await _s3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = bucket,
            Prefix = prefix,
            Delimiter = delimiter,
            MaxKeys = maxKeys,
            ContinuationToken = continuationToken,
        }, ct);
        return new ObjectListing(
            (response.S3Objects ?? []).Select(o => new ObjectInfo(bucket, o.Key, o.Size ?? 0, o.ETag, null,
                o.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime()) : DateTimeOffset.MinValue)).ToList(),
            response.CommonPrefixes ?? [], response.IsTruncated == true ? response.NextContinuationToken : null);
    }

    public Uri PresignGet(string bucket, string key, TimeSpan lifetime) =>
        new(_s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = _clock.GetUtcNow().UtcDateTime.Add(lifetime),
            Protocol = Protocol(),
        }));

    public Uri PresignPut(string bucket, string key, TimeSpan lifetime, IReadOnlyDictionary<string, string> signedHeaders)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Expires = _clock.GetUtcNow().UtcDateTime.Add(lifetime),
            Protocol = Protocol(),
        };
        foreach (var (name, value) in signedHeaders)
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase)) request.ContentType = value;
            else request.Headers[name] = value;
        }
        return new Uri(_s3.GetPreSignedURL(request));
    }

    public async Task<TemporaryCredentials> IssueCredentialsAsync(CredentialScope scope, TimeSpan lifetime, CancellationToken ct)
    {
        if (_sts is null) throw new InvalidOperationException("Storage:S3:RoleArn must be set to issue temporary credentials.");
        var response = await _sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = _options.RoleArn,
            RoleSessionName = "scanport-" + Guid.NewGuid().ToString("N")[..16],
            DurationSeconds = (int)Math.Clamp(lifetime.TotalSeconds, 900, 43200),
            Policy = SessionPolicy(scope),
        }, ct);
        var c = response.Credentials;
        return new TemporaryCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken,
            c.Expiration is { } e ? new DateTimeOffset(e.ToUniversalTime()) : _clock.GetUtcNow().Add(lifetime));
    }

    /// <summary>An IAM policy allowing the scope's actions on its prefix only (listing too, through the s3:prefix condition).</summary>
    internal static string SessionPolicy(CredentialScope scope)
    {
        var objectActions = scope.Actions.Where(a => a != CredentialScope.ListBucket)
            .SelectMany(a => a == CredentialScope.PutObject ? [a, "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"] : new[] { a }).ToArray();
        var statements = new List<object>
        {
            new { Effect = "Allow", Action = objectActions, Resource = $"arn:aws:s3:::{scope.Bucket}/{scope.Prefix}*" },
        };
        if (scope.Actions.Contains(CredentialScope.ListBucket))
            statements.Add(new
            {
                Effect = "Allow",
                Action = new[] { "s3:ListBucket" },
                Resource = $"arn:aws:s3:::{scope.Bucket}",
                Condition = new { StringLike = new Dictionary<string, string> { ["s3:prefix"] = scope.Prefix + "*" } },
            });
        return JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = statements });
    }

    private Amazon.S3.Protocol Protocol() =>
        PublicEndpoint?.Scheme == "http" ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS;

    public void Dispose()
    {
        _s3.Dispose();
        _sts?.Dispose();
    }
}
