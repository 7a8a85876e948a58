using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using Scanport.Http;

namespace Scanport.Surfaces.Aps.Viewer;

/// <summary>
/// The viewer's static files, copied into the app's output folder <c>aps-viewer/</c> at build (its own HTML, CSS and ES
/// modules, and three.js's ES modules from <c>tools/viewer</c>'s pinned npm package), and the page's
/// Content-Security-Policy: scripts from this origin only, plus the page's one inline element, its import map, allowed by
/// its hash (an import map cannot be an external file).
/// </summary>
internal sealed partial class ViewerAssets
{
    public const string Folder = "aps-viewer";

    public ViewerAssets(string root)
    {
        Root = root;
        Files = Directory.Exists(root) ? new PhysicalFileProvider(root) : new NullFileProvider();
        var page = Files.GetFileInfo("viewer.html");
        Page = page.Exists ? File.ReadAllText(page.PhysicalPath!) : "<!doctype html><title>Scanport viewer</title><p>The viewer's files are missing from this build.</p>";
        var importMap = ImportMap().Match(Page).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap)));
        Policy = $"default-src 'none'; script-src 'self' 'sha256-{hash}'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public string Root { get; }
    public IFileProvider Files { get; }
    public string Page { get; }
    public string Policy { get; }

    /// <summary>Whether three.js was installed when the app was built (<c>tools/npm-ci.sh tools/viewer</c>).</summary>
    public bool HasThree => Files.GetFileInfo("three/build/three.module.js").Exists;

    public static ViewerAssets FromOutput() => new(Path.Combine(AppContext.BaseDirectory, Folder));

    /// <summary>A file under the folder (the provider refuses paths that climb out of it), with its content type.</summary>
    public (IFileInfo File, string ContentType)? Find(string path) => ServedFiles.Find(Files, path);

    [GeneratedRegex("<script type=\"importmap\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ImportMap();
}
