namespace Scanport.Data;

/// <summary>
/// SQLite lets one transaction write at a time and makes the others retry with sleeps (Microsoft.Data.Sqlite
/// waits 150 ms between tries), which ruins latency under concurrent writes. In the embedded mode there is
/// one process, so its write transactions queue here instead and reach SQLite one by one. On PostgreSQL the
/// gate is open.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<IDisposable?> EnterAsync(ScanportDb db, CancellationToken ct)
    {
        if (!db.IsSqlite) return null;
        await _semaphore.WaitAsync(ct);
        return new Release(_semaphore);
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}
