using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Scanport.Http;

/// <summary>Files of a folder the app serves by hand (the model viewer's, the console's), looked up safely.</summary>
public static class ServedFiles
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// A file under the provider's folder with its content type; null for a path that is empty, climbs (<c>..</c>), has
    /// empty or <c>.</c> segments or backslashes, or names no file (the provider also refuses paths out of its folder).
    /// </summary>
    public static (IFileInfo File, string ContentType)? Find(IFileProvider files, string path)
    {
        if (path.Length == 0 || path.Contains('\\', StringComparison.Ordinal) || path.Split('/').Any(s => s is "" or "." or "..")) return null;
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null) return null;
        var contentType = path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
            : ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
        return (file, contentType);
    }
}
