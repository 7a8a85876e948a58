using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Scanport.Storage.Embedded;

/// <summary>Write buffers for blobs: 1 MiB, pinned, aligned as direct I/O requires, and reused.</summary>
internal sealed class BlockBuffers
{
    public const int Size = 1024 * 1024;
    private const int MaxRetained = 16;

    private readonly ConcurrentQueue<Memory<byte>> _free = new();

    public Memory<byte> Rent()
    {
        if (_free.TryDequeue(out var buffer)) return buffer;
        var array = GC.AllocateUninitializedArray<byte>(Size + LinuxFiles.DirectAlignment, pinned: true);
        var misalignment = (int)(Marshal.UnsafeAddrOfPinnedArrayElement(array, 0) % LinuxFiles.DirectAlignment);
        return array.AsMemory(misalignment == 0 ? 0 : LinuxFiles.DirectAlignment - misalignment, Size);
    }

    public void Return(Memory<byte> buffer)
    {
        if (_free.Count < MaxRetained) _free.Enqueue(buffer);
    }
}
