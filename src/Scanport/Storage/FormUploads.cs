using System.Buffers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Scanport.Data;

namespace Scanport.Storage;

/// <summary>How reading a <see cref="FormUpload"/> ended.</summary>
public enum FormUploadStatus
{
    /// <summary>The form was read; the file field may still be missing (<see cref="FormUpload.FileName"/> null).</summary>
    Read,

    /// <summary>The body is not <c>multipart/form-data</c> with a boundary.</summary>
    NotMultipart,

    /// <summary>The file, or the declared body, is over the limit; nothing of it is kept.</summary>
    TooLarge,

    /// <summary>The multipart body is cut short or malformed (a boundary never closed, headers too long); nothing of it is kept.</summary>
    Malformed,
}

/// <summary>
/// A <c>multipart/form-data</c> upload read: its file streamed to a temporary file, a few short text fields. Disposing it
/// deletes the file.
/// </summary>
public sealed class FormUpload(FormUploadStatus status, string path) : IAsyncDisposable
{
    public FormUploadStatus Status { get; } = status;

    /// <summary>The file part's name as the client gave it (empty when it gave none); null when the form had no file part.</summary>
    public string? FileName { get; internal set; }

    /// <summary>The temporary file holding the file part's bytes.</summary>
    public string Path { get; } = path;

    public long Size { get; internal set; }

    /// <summary>The text fields asked for that the form had, trimmed (the last one of a name wins).</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public ValueTask DisposeAsync()
    {
        // Refused before the folder was made, there is no file; File.Delete would throw on the missing folder.
        if (File.Exists(Path)) File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Reads multipart form uploads with <see cref="MultipartReader"/>, the file part streamed to a temporary file under the
/// data directory (<see cref="Folder"/>) and never held in memory, cut off as soon as it passes the limit.
/// </summary>
public sealed class FormUploads(IOptions<ScanportOptions> options)
{
    /// <summary>Under the data directory; a scratch folder, so what a crash leaves there is swept.</summary>
    public const string Folder = "tmp/uploads";

    /// <summary>What the multipart envelope (boundaries, part headers, the text fields) may add to the file's own limit.</summary>
    public const long EnvelopeAllowance = 64 * 1024;

    private readonly string _folder = System.IO.Path.Combine(options.Value.DataDir, Folder);

    /// <summary>A new path in the same scratch folder (made if missing), for a temporary file its caller deletes when done.</summary>
    public string NewTempPath()
    {
        Directory.CreateDirectory(_folder);
        return System.IO.Path.Combine(_folder, Guid.NewGuid().ToString("N"));
    }

    /// <summary>
    /// Reads the form: the first part named <paramref name="fileField"/> into a temporary file of at most
    /// <paramref name="limit"/> bytes, the first <paramref name="maxFieldLength"/> characters of each of
    /// <paramref name="textFields"/>, and skips the rest. A body declaring more than the limit and the
    /// <see cref="EnvelopeAllowance"/> is refused before it is read.
    /// </summary>
    public async Task<FormUpload> ReadAsync(
        HttpRequest request, string fileField, IReadOnlyCollection<string> textFields, long limit, int maxFieldLength, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        if (request.ContentLength > limit + EnvelopeAllowance) return new FormUpload(FormUploadStatus.TooLarge, path);
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary)) return new FormUpload(FormUploadStatus.NotMultipart, path);

        Directory.CreateDirectory(_folder);
        var upload = new FormUpload(FormUploadStatus.Read, path);
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == fileField && upload.FileName is null)
                {
                    upload.FileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    upload.Size = await CopyLimitedAsync(section.Body, path, limit, ct);
                    if (upload.Size < 0)
                    {
                        await upload.DisposeAsync();
                        return new FormUpload(FormUploadStatus.TooLarge, path);
                    }
                }
                else if (name is not null && textFields.Contains(name))
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[maxFieldLength];
                    var read = await text.ReadBlockAsync(buffer, ct);
                    upload.Fields[name] = new string(buffer, 0, read).Trim();
                }
                else
                {
                    await section.Body.DrainAsync(ct);
                }
            }
            return upload;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own body limit, reached while reading.
            await upload.DisposeAsync();
            return new FormUpload(FormUploadStatus.TooLarge, path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !ct.IsCancellationRequested)
        {
            await upload.DisposeAsync();
            return new FormUpload(FormUploadStatus.Malformed, path);
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes to a new file; -1 when the body is longer.</summary>
    private static async Task<long> CopyLimitedAsync(Stream body, string path, long limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > limit) return -1;
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
