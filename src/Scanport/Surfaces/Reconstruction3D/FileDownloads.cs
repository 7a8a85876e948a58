using System.Globalization;
using System.IO.Compression;
using Microsoft.Net.Http.Headers;
using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>A stored object sent whole or as one byte range (206), as an attachment.</summary>
internal sealed class StoredFile(ProjectFiles files, ObjectInfo info, string downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = info.ETag.StartsWith('"') ? info.ETag : $"\"{info.ETag}\"";
        response.Headers.LastModified = info.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (!ByteRange.TryParse(context.Request.Headers.Range, info.Size, out var range))
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{info.Size}";
            await response.WriteAsJsonAsync(new FastApiError("Requested range not satisfiable"));
            return;
        }
        await using var content = await files.GetAsync(info.Key, range, context.RequestAborted);
        if (content is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsJsonAsync(new FastApiError("The file is gone"));
            return;
        }
        response.ContentType = info.ContentType ?? "application/octet-stream";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = downloadName, FileName = downloadName }.ToString();
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
        await content.Body.CopyToAsync(response.Body, 1 << 16, context.RequestAborted);
    }
}

/// <summary>
/// The project's frames as a zip written straight to the response, entry by entry (stored: JPEGs do not compress), so
/// its size in memory does not grow with the number of frames. No ranges: the archive is made anew each time.
/// </summary>
internal sealed class FramesZip(ProjectFiles files, string prefix, string downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var response = context.Response;
        response.ContentType = "application/zip";
        response.Headers.AcceptRanges = "none";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = downloadName, FileName = downloadName }.ToString();
        // ZipArchive writes each entry's 16-byte data descriptor synchronously, even from its async API.
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        await using var zip = await ZipArchive.CreateAsync(response.Body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await foreach (var o in files.ListAsync(prefix, ct))
        {
            await using var content = await files.GetAsync(o.Key, null, ct);
            if (content is null) continue;
            var entry = zip.CreateEntry(o.Key[prefix.Length..], CompressionLevel.NoCompression);
            entry.LastWriteTime = o.LastModified;
            await using var target = await entry.OpenAsync(ct);
            await content.Body.CopyToAsync(target, 1 << 16, ct);
        }
    }
}
