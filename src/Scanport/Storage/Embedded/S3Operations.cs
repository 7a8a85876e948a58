using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Scanport.Storage.Embedded;

/// <summary>The S3 operations, one method per REST call, on an authenticated request.</summary>
internal sealed partial class S3Operations(
    RequestAuthenticator authenticator, EmbeddedObjectStore store, ObjectNotifications notifications, IOptions<StorageOptions> options)
{
    public RequestAuthenticator Authenticator => authenticator;

    public async Task<S3Error?> BucketAsync(HttpContext context, AuthenticatedRequest auth, string bucket)
    {
        var request = context.Request;
        var q = request.Query;
        if (HttpMethods.IsHead(request.Method)) return Allowed(auth, CredentialScope.ListBucket, bucket, auth.Principal.Scope?.Prefix ?? "") ?? Ok(context);
        if (HttpMethods.IsGet(request.Method) && q.ContainsKey("location"))
        {
            await S3Endpoints.WriteXmlAsync(context, S3Xml.Location(options.Value.Region));
            return null;
        }
        if (HttpMethods.IsGet(request.Method) && !q.ContainsKey("uploads")) return await ListAsync(context, auth, bucket);
        if (HttpMethods.IsPost(request.Method) && q.ContainsKey("delete")) return await DeleteManyAsync(context, auth, bucket);
        return S3Error.NotImplemented($"{request.Method} on a bucket{(request.QueryString.HasValue ? " with " + request.QueryString.Value : "")}");
    }

    public Task<S3Error?> ObjectAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key)
    {
        var request = context.Request;
        var q = request.Query;
        var uploadId = q["uploadId"].ToString();
        return request.Method switch
        {
            "GET" when uploadId.Length > 0 => ListPartsAsync(context, auth, bucket, key, uploadId),
            "GET" or "HEAD" => GetAsync(context, auth, bucket, key),
            "PUT" when request.Headers.ContainsKey("x-amz-copy-source") && uploadId.Length > 0 => Task.FromResult<S3Error?>(S3Error.NotImplemented("UploadPartCopy")),
            "PUT" when request.Headers.ContainsKey("x-amz-copy-source") => CopyAsync(context, auth, bucket, key),
            "PUT" when uploadId.Length > 0 => UploadPartAsync(context, auth, bucket, key, uploadId),
            "PUT" => PutAsync(context, auth, bucket, key),
            "POST" when q.ContainsKey("uploads") => CreateUploadAsync(context, auth, bucket, key),
            "POST" when uploadId.Length > 0 => CompleteUploadAsync(context, auth, bucket, key, uploadId),
            "DELETE" when uploadId.Length > 0 => AbortUploadAsync(context, auth, bucket, key, uploadId),
            "DELETE" => DeleteAsync(context, auth, bucket, key),
            _ => Task.FromResult<S3Error?>(S3Error.MethodNotAllowed),
        };
    }

    private async Task<S3Error?> ListAsync(HttpContext context, AuthenticatedRequest auth, string bucket)
    {
        var q = context.Request.Query;
        var prefix = q["prefix"].ToString();
        if (Allowed(auth, CredentialScope.ListBucket, bucket, prefix) is { } denied) return denied;
        var maxKeys = 1000;
        if (q.TryGetValue("max-keys", out var mk) && (!int.TryParse(mk, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys) || maxKeys > 1000))
            maxKeys = Math.Clamp(maxKeys, 0, 1000);
        string? delimiter = q.TryGetValue("delimiter", out var d) && d.ToString().Length > 0 ? d.ToString() : null;
        string? token = q.TryGetValue("continuation-token", out var t) ? t.ToString() : null;
        string? startAfter = q.TryGetValue("start-after", out var sa) ? sa.ToString() : q.TryGetValue("marker", out var m) ? m.ToString() : null;
        string? after;
        try
        {
            after = token is null ? startAfter : Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            return S3Error.InvalidArgument("The continuation token provided is incorrect.");
        }
        var listing = maxKeys == 0
            ? new ObjectListing([], [], null)
            : await store.ListAsync(bucket, prefix, delimiter, maxKeys, after, context.RequestAborted);
        var next = listing.NextContinuationToken is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(listing.NextContinuationToken));
        await S3Endpoints.WriteXmlAsync(context, S3Xml.ListObjectsV2(bucket, prefix, delimiter, maxKeys, token, startAfter,
            q["encoding-type"] == "url", listing with { NextContinuationToken = next }));
        return null;
    }

    private async Task<S3Error?> GetAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key)
    {
        if (Allowed(auth, CredentialScope.GetObject, bucket, key) is { } denied) return denied;
        var ct = context.RequestAborted;
        var info = await store.HeadAsync(bucket, key, ct);
        if (info is null) return S3Error.NoSuchKey;
        var response = context.Response;
        response.Headers.ETag = info.ETag;
        response.Headers.LastModified = info.LastModified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.AcceptRanges = "bytes";
        ObjectDisposition.Apply(context, info.ContentType);
        if (context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } inm && inm.Split(',').Any(e => e.Trim() == info.ETag || e.Trim() == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return null;
        }
        if (!ByteRange.TryParse(context.Request.Headers.Range, info.Size, out var range))
        {
            response.Headers.ContentRange = $"bytes */{info.Size}";
            return S3Error.InvalidRange;
        }
        response.ContentLength = range?.Length ?? info.Size;
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {range.From}-{range.To}/{info.Size}";
        }
        if (HttpMethods.IsHead(context.Request.Method)) return null;
        await using var content = await store.GetAsync(bucket, key, range, ct);
        if (content is null) return S3Error.NoSuchKey;
        await content.Body.CopyToAsync(response.Body, 256 * 1024, ct);
        return null;
    }

    private async Task<S3Error?> PutAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key)
    {
        if (Allowed(auth, CredentialScope.PutObject, bucket, key) is { } denied) return denied;
        var (body, bodyError) = RequestBody.Open(context, auth);
        if (bodyError is not null) return bodyError;
        var (info, error) = await store.PutAsync(bucket, key, body!, ContentType(context), RequestBody.ContentMd5Check(context), context.RequestAborted);
        if (error is not null) return error;
        await notifications.StoredAsync(info!, context.RequestAborted);
        context.Response.Headers.ETag = info!.ETag;
        return Ok(context);
    }

    private async Task<S3Error?> DeleteAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key)
    {
        if (Allowed(auth, CredentialScope.DeleteObject, bucket, key) is { } denied) return denied;
        await store.DeleteAsync(bucket, key, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return null;
    }

    private async Task<S3Error?> DeleteManyAsync(HttpContext context, AuthenticatedRequest auth, string bucket)
    {
        var (xml, error) = await RequestBody.ReadXmlAsync(context, auth);
        if (error is not null) return error;
        if (S3Xml.ParseDelete(xml!) is not var (keys, quiet) || keys.Count is 0 or > S3Xml.MaxDeleteKeys) return S3Error.MalformedXml;
        var deleted = new List<string>();
        var errors = new List<(string, S3Error)>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (Allowed(auth, CredentialScope.DeleteObject, bucket, key) is { } denied) errors.Add((key, denied));
            else deleted.Add(key);
        }
        // One transaction for the lot; as S3 does, a key with no object is reported deleted too.
        await store.DeleteManyAsync(bucket, deleted, context.RequestAborted);
        await S3Endpoints.WriteXmlAsync(context, S3Xml.DeleteResult(deleted, errors, quiet));
        return null;
    }

    private async Task<S3Error?> CreateUploadAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key)
    {
        if (Allowed(auth, CredentialScope.PutObject, bucket, key) is { } denied) return denied;
        var uploadId = await store.CreateUploadAsync(bucket, key, ContentType(context), context.RequestAborted);
        await S3Endpoints.WriteXmlAsync(context, S3Xml.InitiateMultipartUpload(bucket, key, uploadId));
        return null;
    }

    private async Task<S3Error?> UploadPartAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key, string uploadId)
    {
        if (Allowed(auth, CredentialScope.PutObject, bucket, key) is { } denied) return denied;
        if (!int.TryParse(context.Request.Query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > 10000)
            return S3Error.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive.");
        var upload = await store.FindUploadAsync(bucket, key, uploadId, context.RequestAborted, withParts: false);
        if (upload is null) return S3Error.NoSuchUpload;
        var (body, bodyError) = RequestBody.Open(context, auth);
        if (bodyError is not null) return bodyError;
        var (part, error) = await store.UploadPartAsync(upload, partNumber, body!, RequestBody.ContentMd5Check(context), context.RequestAborted);
        if (error is not null) return error;
        context.Response.Headers.ETag = part!.ETag;
        return Ok(context);
    }

    private async Task<S3Error?> CompleteUploadAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key, string uploadId)
    {
        if (Allowed(auth, CredentialScope.PutObject, bucket, key) is { } denied) return denied;
        var (xml, error) = await RequestBody.ReadXmlAsync(context, auth);
        if (error is not null) return error;
        var parts = S3Xml.ParseCompleteParts(xml!);
        if (parts is null or { Count: 0 or > S3Xml.MaxParts }) return S3Error.MalformedXml;
        var upload = await store.FindUploadAsync(bucket, key, uploadId, context.RequestAborted);
        if (upload is null) return S3Error.NoSuchUpload;
        var (info, completeError) = await store.CompleteUploadAsync(upload, parts, context.RequestAborted);
        if (completeError is not null) return completeError;
        await notifications.StoredAsync(info!, context.RequestAborted);
        await S3Endpoints.WriteXmlAsync(context, S3Xml.CompleteMultipartUpload(store.PublicEndpoint, bucket, key, info!.ETag));
        return null;
    }

    private async Task<S3Error?> AbortUploadAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key, string uploadId)
    {
        if (Allowed(auth, CredentialScope.PutObject, bucket, key) is { } denied) return denied;
        if (!await store.AbortUploadAsync(bucket, key, uploadId, context.RequestAborted)) return S3Error.NoSuchUpload;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return null;
    }

    private async Task<S3Error?> ListPartsAsync(HttpContext context, AuthenticatedRequest auth, string bucket, string key, string uploadId)
    {
        if (Allowed(auth, CredentialScope.PutObject, bucket, key) is { } denied) return denied;
        var upload = await store.FindUploadAsync(bucket, key, uploadId, context.RequestAborted);
        if (upload is null) return S3Error.NoSuchUpload;
        var q = context.Request.Query;
        var marker = int.TryParse(q["part-number-marker"], NumberStyles.None, CultureInfo.InvariantCulture, out var mk) ? mk : 0;
        var max = int.TryParse(q["max-parts"], NumberStyles.None, CultureInfo.InvariantCulture, out var mp) ? Math.Clamp(mp, 1, 1000) : 1000;
        await S3Endpoints.WriteXmlAsync(context, S3Xml.ListParts(upload, marker, max));
        return null;
    }

    // ---- request pieces ----

    private static S3Error? Allowed(AuthenticatedRequest auth, string action, string bucket, string key) =>
        auth.Principal.Allows(action, bucket, key) ? null : S3Error.AccessDenied();

    private static S3Error? Ok(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
        return null;
    }

    private static string? ContentType(HttpContext context) =>
        context.Request.ContentType is { Length: > 0 and <= 255 } type ? type : null;
}
