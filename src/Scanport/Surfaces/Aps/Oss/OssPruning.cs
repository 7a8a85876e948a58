namespace Scanport.Surfaces.Aps.Oss;

/// <summary>
/// Every few minutes, removes the objects the buckets' policies have expired (transient after 24 h, temporary after 30 days;
/// hidden from every call from that moment, by <see cref="OssCatalog"/>) and the signed uploads not completed in time, with
/// their bytes.
/// </summary>
internal sealed class OssPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OssPruning> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var (objects, uploads) = await scope.ServiceProvider.GetRequiredService<OssCatalog>().PruneAsync(stoppingToken);
                if (objects + uploads > 0) logger.LogInformation("Pruned {Objects} expired OSS objects and {Uploads} expired uploads", objects, uploads);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pruning expired OSS objects failed; trying again in {Interval}", Interval);
            }
        }
    }
}
