using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Scanport.Http;

/// <summary>
/// Kestrel's socket buffers in 64 KiB blocks instead of its default 4 KiB: a large request body (an object upload)
/// then arrives in a sixteenth of the receive calls, pipe segments and wake-ups.
/// </summary>
internal sealed class ReceiveBlockPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new ReceiveBlockPool();
}

internal sealed class ReceiveBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    private const int MaxRetained = 256; // 16 MiB kept for reuse; blocks beyond it go back to the GC

    private readonly ConcurrentQueue<Block> _free = new();

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        return _free.TryDequeue(out var block) ? block : new Block(this);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (_free.Count < MaxRetained) _free.Enqueue(block);
    }

    private sealed class Block(ReceiveBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool.Return(this);
    }
}
