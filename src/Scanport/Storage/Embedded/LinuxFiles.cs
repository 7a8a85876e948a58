using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Scanport.Storage.Embedded;

/// <summary>
/// The Linux file controls .NET does not expose: direct I/O on an open file (O_DIRECT through fcntl), fsync of a
/// directory, which makes a rename in it durable, and hard links. Elsewhere none does anything.
/// </summary>
internal static class LinuxFiles
{
    private const int FGetFl = 3, FSetFl = 4;
    private const int OReadOnly = 0, OCloseOnExec = 0x80000; // the same on every Linux architecture .NET runs on

    /// <summary>O_DIRECT's value differs by architecture; 0 where we do not know it.</summary>
    private static readonly int ODirect = !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => 0,
    };

    /// <summary>Alignment of memory, file offset and length that direct I/O asks for (the page size covers every common device).</summary>
    public const int DirectAlignment = 4096;

    /// <summary>Turns direct I/O on or off for the file; false when the file system (or platform) does not support it.</summary>
    public static bool TrySetDirect(SafeFileHandle file, bool on)
    {
        if (ODirect == 0) return false;
        var fd = (int)file.DangerousGetHandle();
        var flags = Fcntl(fd, FGetFl, 0);
        if (flags < 0) return false;
        return Fcntl(fd, FSetFl, on ? flags | ODirect : flags & ~ODirect) == 0;
    }

    /// <summary>fsync of a directory, so that entries just renamed into it survive a crash.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(path, OReadOnly | OCloseOnExec);
        if (fd < 0) throw new IOException($"Cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>A second name for an existing file (link(2)); false where links are not to be had (another platform or file system).</summary>
    public static bool TryHardLink(string existing, string link)
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Link(existing, link) == 0) return true;
        const int NoSuchFile = 2; // ENOENT
        if (Marshal.GetLastPInvokeError() == NoSuchFile && !File.Exists(existing)) throw new FileNotFoundException("No blob at this path.", existing);
        return false;
    }

    // DllImport rather than LibraryImport: these signatures are blittable, and the project compiles without unsafe code.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string link);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
