using System.Runtime.InteropServices;

namespace Scanport.Data;

/// <summary>
/// The node's data directory holds its secrets (the database with the token signing key, the storage master key,
/// data protection keys) and every stored object, so only the account Scanport runs as may read it: the directory
/// is 0700 and every file Scanport creates is 0600.
/// </summary>
/// <remarks>
/// New files get their mode from the process umask (077), set before anything is created, rather than from a mode
/// passed to each create: SQLite makes its own files (the database, <c>-wal</c>, <c>-shm</c>, journals) whenever it
/// needs them and deletes and remakes the WAL as connections come and go, so a chmod after opening would leave a
/// window and miss the next one; ffmpeg and COLMAP, started from this process, inherit the umask for what they write
/// in work folders. Scanport writes nothing meant for other accounts, so a process-wide umask takes nothing away.
/// Files an earlier version made readable by others are tightened at start-up.
/// </remarks>
internal static class DataDirectory
{
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly Lock Gate = new();

    /// <summary>Makes the data directory private (creating it when missing) and new files private; returns its full path.</summary>
    public static string Prepare(string dataDir)
    {
        var path = Path.GetFullPath(dataDir);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        lock (Gate)
        {
            _ = Umask(0b_000_111_111); // 077
            if (!Directory.Exists(path)) Directory.CreateDirectory(path, PrivateDirectory);
            Tighten(path, PrivateDirectory);
            foreach (var file in Directory.EnumerateFiles(path)) Tighten(file, PrivateFile);
            var keys = Path.Combine(path, "keys");
            if (Directory.Exists(keys))
                foreach (var file in Directory.EnumerateFiles(keys)) Tighten(file, PrivateFile);
        }
        return path;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path, UnixFileMode mode)
    {
        if ((File.GetUnixFileMode(path) & OthersAccess) != 0) File.SetUnixFileMode(path, mode);
    }

    // DllImport rather than LibraryImport: a blittable signature, and the project compiles without unsafe code.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
