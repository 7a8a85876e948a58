using Microsoft.Extensions.FileProviders;
using Scanport.Http;

namespace Scanport.Surfaces.Console;

/// <summary>
/// The console's built files: <c>vite build</c> of <c>console/</c> writes them to <c>console/dist</c>, and the build copies
/// them into the app's output and publish folders as <c>console/</c>. Files under <c>assets/</c> carry a hash of their
/// content in their names, so they never change; <c>index.html</c> names the current ones.
/// </summary>
internal sealed class ConsoleAssets
{
    public const string Folder = "console";

    /// <summary>
    /// Scripts, styles, images, fonts and workers from this origin only, no inline script and no eval (WebAssembly may be
    /// compiled: the point-cloud viewer's LAZ decoder is WASM); the page talks to this origin's APIs and reads stored
    /// files and shows thumbnails from the object store's origin (<paramref name="store"/>: presigned URLs), which is this
    /// origin with the embedded store.
    /// </summary>
    public static string Policy(Uri? store)
    {
        var origin = store is null ? "https://*.amazonaws.com" : store.GetLeftPart(UriPartial.Authority);
        return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob: "
            + $"{origin}; font-src 'self'; connect-src 'self' {origin}; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    public ConsoleAssets(string root)
    {
        Root = root;
        Files = Directory.Exists(root) ? new PhysicalFileProvider(root) : new NullFileProvider();
    }

    public string Root { get; }
    public IFileProvider Files { get; }

    /// <summary>Whether the console was built into this app (<c>./run</c> and <c>./test</c> build it).</summary>
    public bool Built => Files.GetFileInfo("index.html").Exists;

    public IFileInfo Index => Files.GetFileInfo("index.html");

    public static ConsoleAssets FromOutput() => new(Path.Combine(AppContext.BaseDirectory, Folder));

    /// <summary>A file under the folder (the provider refuses paths that climb out of it), with its content type.</summary>
    public (IFileInfo File, string ContentType)? Find(string path) => ServedFiles.Find(Files, path);

    /// <summary>
    /// Whether a path names a file rather than a page of the app: under <c>assets/</c>, or with an extension in its last
    /// segment. A missing file is a 404; a missing page is the app's to answer (index.html).
    /// </summary>
    public static bool IsFilePath(string path) =>
        path.StartsWith("assets/", StringComparison.Ordinal) || Path.GetFileName(path).Contains('.', StringComparison.Ordinal);

    /// <summary>Hashed files never change: a year, immutable. Everything else is checked on every use.</summary>
    public static string CacheControl(string path) =>
        path.StartsWith("assets/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
}
