using System.Globalization;
using Microsoft.Net.Http.Headers;
using Scanport.Storage.Embedded;

namespace Scanport.Storage;

/// <summary>How <see cref="ObjectDownloads.SendAsync"/> ended.</summary>
public enum ObjectSendOutcome
{
    /// <summary>The object, or the asked range of it, was sent (only its headers, for HEAD).</summary>
    Sent,

    /// <summary>The range starts past the end: the status is 416 with <c>Content-Range: bytes */size</c>, the body the caller's to write.</summary>
    RangeNotSatisfiable,

    /// <summary>The object went away after it was described: nothing but validators was sent; the error is the caller's to write.</summary>
    Gone,
}

/// <summary>
/// A stored object sent to an HTTP response, whole or as one byte range, written once for every surface that serves
/// files. The store serves the range itself (S3's ranged GET), so only the asked bytes leave it; that is why this is not
/// ASP.NET Core's range processing, which seeks a stream it was handed whole and answers 416 with no body, where the
/// surfaces answer in their own error shape.
/// </summary>
public static class ObjectDownloads
{
    /// <summary>
    /// Sends <paramref name="info"/>'s object with <c>Accept-Ranges</c>, its validators (ETag, Last-Modified), a
    /// <c>Content-Disposition</c> naming <paramref name="downloadName"/>, its type and length; a single <c>Range</c> gets
    /// 206 and <c>Content-Range</c>. The ranges S3 ignores (several, other units, malformed) get the whole object. A HEAD
    /// request gets the same headers and no body. <paramref name="inline"/> asks for the object to be shown rather than
    /// saved, which a type a browser would run (HTML, SVG, script) never is.
    /// </summary>
    public static async Task<ObjectSendOutcome> SendAsync(this IObjectStore store, HttpContext context, ObjectInfo info, string downloadName, bool inline = false)
    {
        var response = context.Response;
        var ct = context.RequestAborted;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = info.ETag.StartsWith('"') ? info.ETag : $"\"{info.ETag}\"";
        response.Headers.LastModified = info.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (!ByteRange.TryParse(context.Request.Headers.Range, info.Size, out var range))
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{info.Size}";
            return ObjectSendOutcome.RangeNotSatisfiable;
        }
        var head = HttpMethods.IsHead(context.Request.Method);
        await using var content = head ? null : await store.GetAsync(info.Bucket, info.Key, range, ct);
        if (!head && content is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return ObjectSendOutcome.Gone;
        }
        var type = info.ContentType ?? "application/octet-stream";
        response.ContentType = type;
        response.Headers.ContentDisposition = Disposition(inline && !ObjectDisposition.IsActive(type) ? "inline" : "attachment", downloadName);
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {range.From}-{range.To}/{info.Size}";
            response.ContentLength = range.Length;
        }
        else
        {
            response.ContentLength = info.Size;
        }
        if (content is not null) await content.Body.CopyToAsync(response.Body, 1 << 16, ct);
        return ObjectSendOutcome.Sent;
    }

    /// <summary>
    /// A <c>Content-Disposition</c> value naming the file twice, as RFC 6266 advises: <c>filename*</c> (RFC 5987, UTF-8,
    /// percent-encoded) for browsers, <c>filename</c> for older clients. Path separators and control characters, which
    /// no saved file should get from a header, become <c>_</c>.
    /// </summary>
    public static string Disposition(string type, string fileName)
    {
        var safe = string.Create(fileName.Length, fileName, (span, name) =>
        {
            for (var i = 0; i < name.Length; i++) span[i] = name[i] is '/' or '\\' || char.IsControl(name[i]) ? '_' : name[i];
        });
        return new ContentDispositionHeaderValue(type) { FileNameStar = safe, FileName = safe }.ToString();
    }
}
