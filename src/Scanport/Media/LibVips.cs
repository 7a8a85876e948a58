using Microsoft.Extensions.Options;
using NetVips;

namespace Scanport.Media;

/// <summary>
/// The process-wide libvips that NetVips drives, checked and configured once, with its thread count from
/// <see cref="ImageProcessingOptions.Concurrency"/>: other modules decoding images with NetVips start it through this.
/// </summary>
/// <remarks>
/// How the system library is bound: we reference NetVips (a managed binding) and not NetVips.Native, so no libvips is
/// copied next to the app. NetVips' module initializer registers a DllImport resolver that maps every import (vips,
/// glib, gobject) to <c>libvips.so.42</c> and calls <c>NativeLibrary.TryLoad</c>; with no copy in the app folder that
/// ends in the platform loader (<c>dlopen</c> and the ld.so cache), which finds the distribution's libvips (Debian
/// 12: <c>libvips42</c>, 8.14) and, through its dependencies, the system GLib, libjpeg-turbo and libheif with libde265
/// for HEVC. GLib's symbols resolve through libvips' own dependencies. The Media tests check the result: the
/// library mapped into the process is not in the app folder, and <c>heifload</c> is there.
/// </remarks>
public sealed class LibVips(IOptions<ImageProcessingOptions> options)
{
    private static readonly Lock Gate = new();
    private static bool started;

    /// <summary>libvips' version, e.g. <c>8.14.1</c>.</summary>
    public static string Version => $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";

    /// <summary>The libvips file mapped into this process (Linux), for diagnostics and the tests.</summary>
    public static string? LoadedFrom =>
        File.Exists("/proc/self/maps")
            ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
                .FirstOrDefault(p => Path.GetFileName(p).StartsWith("libvips.so", StringComparison.Ordinal))
            : null;

    /// <summary>Fails with a message saying what to install when libvips or its HEIF support is missing; configures it once.</summary>
    public void EnsureStarted() => Start(options.Value.Concurrency);

    internal static void Start(int concurrency)
    {
        lock (Gate)
        {
            if (started) return;
            if (!ModuleInitializer.VipsInitialized)
                throw new InvalidOperationException(
                    "libvips could not be loaded: install the system package (Debian: libvips42 libheif1 libde265-0).", ModuleInitializer.Exception);
            // fail_on (truncated files are errors, not grey images) arrived in 8.12.
            if (!NetVips.NetVips.AtLeastLibvips(8, 12))
                throw new InvalidOperationException($"libvips {Version} is too old: Scanport needs 8.12 or later.");
            if (NetVips.NetVips.TypeFind("VipsOperation", "heifload") == IntPtr.Zero)
                throw new InvalidOperationException($"libvips {Version} was built without HEIF support: install libheif (Debian: libheif1 libde265-0).");

            // Every photo is decoded once: the operation cache would only pin memory.
            Cache.Max = 0;
            Cache.MaxFiles = 0;
            NetVips.NetVips.Concurrency = concurrency;
            started = true;
        }
    }
}
