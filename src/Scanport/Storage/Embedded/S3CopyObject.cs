namespace Scanport.Storage.Embedded;

/// <summary>CopyObject, within one bucket: the store's own copy, which links the source's blobs and moves no bytes.</summary>
internal sealed partial class S3Operations
{
    private async Task<S3Error?> CopyAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        // The SDKs encode the whole header, the slash after the bucket included.
        var source = Uri.UnescapeDataString(request.Headers["x-amz-copy-source"].ToString()).TrimStart('/');
        if (source.Contains("?versionId=", StringComparison.Ordinal)) return S3Error.NotImplemented("CopyObject of an object version");
        var slash = source.IndexOf('/');
        if (slash <= 0 || slash == source.Length - 1) return S3Error.InvalidArgument("x-amz-copy-source must name a bucket and a key.");
        var (sourceBucket, sourceKey) = (source[..slash], source[(slash + 1)..]);
        if (sourceBucket != bucket) return S3Error.NotImplemented("CopyObject between buckets");
        // Reading the source is what a copy does: credentials that may only upload cannot copy.
        if ((Allowed(auth, CredentialScope.GetObject, bucket, sourceKey) ?? Allowed(auth, CredentialScope.PutObject, bucket, key)) is { } denied)
            return denied;
        if (request.Headers["x-amz-copy-source-if-match"].ToString() is { Length: > 0 } ifMatch)
        {
            var current = await store.HeadAsync(bucket, sourceKey, ct);
            if (current is null) return S3Error.NoSuchKey;
            if (current.ETag.Trim('"') != ifMatch.Trim().Trim('"')) return S3Error.PreconditionFailed;
        }
        var copy = await store.CopyAsync(bucket, sourceKey, key, ct);
        if (copy is null) return S3Error.NoSuchKey;
        await notifications.StoredAsync(copy, ct);
        await S3Endpoints.WriteXmlAsync(context, S3Xml.CopyObjectResult(copy));
        return null;
    }
}
