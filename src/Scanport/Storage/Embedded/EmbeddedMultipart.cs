using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Scanport.Storage.Embedded;

/// <summary><see cref="IObjectStore"/>'s multipart uploads on the embedded store: the same uploads its S3 endpoint serves.</summary>
internal sealed partial class EmbeddedObjectStore
{
    public Task<string> StartMultipartUploadAsync(string bucket, string key, string? contentType, CancellationToken ct) =>
        CreateUploadAsync(bucket, key, contentType, ct);

    public Uri PresignUploadPart(string bucket, string key, string uploadId, int partNumber, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, 10_000);
        return Presigner.Presign(endpoint.RequireUrl(), "PUT", bucket, key, lifetime, new Dictionary<string, string>(),
            authority.RootAccessKeyId, authority.RootSecret, Region, clock.GetUtcNow(),
            [("partNumber", partNumber.ToString(CultureInfo.InvariantCulture)), ("uploadId", uploadId)]);
    }

    public Uri PresignGet(string bucket, string key, TimeSpan lifetime, ResponseOverrides overrides)
    {
        var parameters = new List<(string, string)>();
        if (overrides.ContentType is { } type) parameters.Add(("response-content-type", type));
        if (overrides.ContentDisposition is { } disposition) parameters.Add(("response-content-disposition", disposition));
        if (overrides.CacheControl is { } cache) parameters.Add(("response-cache-control", cache));
        return Presigner.Presign(endpoint.RequireUrl(), "GET", bucket, key, lifetime, new Dictionary<string, string>(),
            authority.RootAccessKeyId, authority.RootSecret, Region, clock.GetUtcNow(), parameters);
    }

    public async Task<UploadedPart?> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, long length, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, 10_000);
        var upload = await FindUploadAsync(bucket, key, uploadId, ct, withParts: false);
        if (upload is null) return null;
        var (part, error) = await UploadPartAsync(upload, partNumber, body, check: null, ct);
        if (error is not null) throw new S3Exception(error);
        if (part!.Size != length) throw new IOException($"part {partNumber} of {key} has {part.Size} bytes, {length} were to be stored");
        return new UploadedPart(part.PartNumber, part.ETag, part.Size);
    }

    public async Task<IReadOnlyList<UploadedPart>?> ListUploadedPartsAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        if (await FindUploadAsync(bucket, key, uploadId, ct, withParts: false) is null) return null;
        return await db.Set<UploadPart>().AsNoTracking().Where(p => p.UploadId == uploadId).OrderBy(p => p.PartNumber)
            .Select(p => new UploadedPart(p.PartNumber, p.ETag, p.Size)).ToListAsync(ct);
    }

    public async Task<ObjectInfo?> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<UploadedPart> parts, CancellationToken ct)
    {
        var upload = await FindUploadAsync(bucket, key, uploadId, ct);
        if (upload is null) return null;
        var (info, error) = await CompleteUploadAsync(upload, parts.Select(p => (p.Number, p.ETag)).ToList(), ct);
        return info ?? throw new S3Exception(error!);
    }

    public Task<bool> AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct) =>
        AbortUploadAsync(bucket, key, uploadId, ct);
}
