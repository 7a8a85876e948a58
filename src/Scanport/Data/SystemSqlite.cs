using System.Runtime.InteropServices;

namespace Scanport.Data;

/// <summary>
/// The embedded database runs on the operating system's SQLite (Debian: <c>libsqlite3-0</c>), not on a private
/// copy. libvips loads its modules with global symbol binding, and its OpenSlide module brings the system's
/// <c>libsqlite3.so.0</c> along; with a second, bundled SQLite (<c>e_sqlite3</c>) in the same process, calls that
/// bind lazily after that point land in the other library's code and crash the process. One SQLite per process
/// avoids that whatever the media libraries load.
/// </summary>
internal static class SystemSqlite
{
    private const string Library = "libsqlite3.so.0";
    private static readonly Lock Gate = new();
    private static bool _ready;

    /// <summary>Points Microsoft.Data.Sqlite at the system library; safe to call more than once.</summary>
    public static void Use()
    {
        lock (Gate)
        {
            if (_ready) return;
            if (OperatingSystem.IsLinux())
            {
                // The provider imports "sqlite3"; Debian ships only the versioned name without the -dev package.
                NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_sqlite3).Assembly, (name, assembly, path) =>
                    name == "sqlite3" && NativeLibrary.TryLoad(Library, assembly, path, out var handle) ? handle : IntPtr.Zero);
            }
            SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());
            _ready = true;
        }
    }
}
