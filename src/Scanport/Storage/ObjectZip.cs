using System.IO.Compression;

namespace Scanport.Storage;

/// <summary>
/// Objects sent as one zip, written to the response entry by entry as each object is read from the store: no temporary
/// file, and memory that does not grow with the number or the size of the objects. No ranges (<c>Accept-Ranges:
/// none</c>): the archive is made anew each time. <paramref name="objects"/> come in the order of the entries, one gone
/// by the time it is read left out; <paramref name="entryName"/> names an object's entry (a relative path inside the
/// zip). <paramref name="compression"/> stays <see cref="CompressionLevel.NoCompression"/> for what is compressed
/// already (JPEG, video, LAZ), which deflating again only costs CPU.
/// </summary>
public sealed class ObjectZip(
    IObjectStore store, IAsyncEnumerable<ObjectInfo> objects, Func<ObjectInfo, string> entryName, string downloadName,
    CompressionLevel compression = CompressionLevel.NoCompression) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var response = context.Response;
        response.ContentType = "application/zip";
        response.Headers.AcceptRanges = "none";
        response.Headers.ContentDisposition = ObjectDownloads.Disposition("attachment", downloadName);
        // Over a stream that cannot seek, ZipArchive writes each entry's sizes after its data (a data descriptor),
        // so nothing is held back to patch a local header later.
        await using var body = new ForwardOnlyBody(response.Body);
        await using (var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            await foreach (var o in objects.WithCancellation(ct))
            {
                await using var content = await store.GetAsync(o.Bucket, o.Key, null, ct);
                if (content is null) continue;
                var entry = zip.CreateEntry(entryName(o), compression);
                entry.LastWriteTime = o.LastModified;
                await using var target = await entry.OpenAsync(ct);
                await content.Body.CopyToAsync(target, 1 << 16, ct);
            }
        }
        await body.FlushAsync(ct);
    }
}
