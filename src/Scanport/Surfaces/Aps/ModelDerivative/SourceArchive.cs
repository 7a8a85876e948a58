using System.IO.Compression;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// A zipped source design (<c>compressedUrn</c>): unpacked into the job's folder with every entry kept inside it (no
/// absolute names, no <c>..</c>), at most <see cref="MaxEntries"/> entries and <see cref="MaxBytes"/> unpacked, counted as
/// the bytes come out rather than as the archive claims, so a zip bomb stops at the cap.
/// </summary>
internal static class SourceArchive
{
    public const int MaxEntries = 10_000;
    public const long MaxBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>The root file's full path, or why the archive cannot be translated.</summary>
    public static async Task<(string? Path, string? Failure)> ExtractAsync(string zipPath, string folder, string rootFilename, CancellationToken ct)
    {
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        long written = 0;
        try
        {
            await using var archive = await ZipArchive.CreateAsync(File.OpenRead(zipPath), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, ct);
            if (archive.Entries.Count > MaxEntries) return (null, $"The archive holds more than {MaxEntries} entries.");
            foreach (var entry in archive.Entries)
            {
                var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
                if (!target.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(entry.FullName))
                    return (null, $"The archive's entry '{entry.FullName}' points outside the archive.");
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var input = await entry.OpenAsync(ct);
                await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await input.ReadAsync(buffer, ct)) > 0)
                {
                    written += read;
                    if (written > MaxBytes) return (null, $"The archive unpacks to more than {MaxBytes / (1024 * 1024)} MiB.");
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            return (null, "The archive cannot be read: it is corrupt, truncated or names one file twice.");
        }
        var rootPath = Path.GetFullPath(Path.Combine(root, rootFilename.Replace('\\', '/')));
        if (!rootPath.StartsWith(root, StringComparison.Ordinal) || !File.Exists(rootPath))
            return (null, $"The archive holds no file '{rootFilename}' (rootFilename).");
        return (rootPath, null);
    }
}
