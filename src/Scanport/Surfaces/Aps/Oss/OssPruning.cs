using Scanport.Data;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>
/// Every few minutes, removes the objects the buckets' policies have expired (transient after 24 h, temporary after 30 days;
/// hidden from every call from that moment, by <see cref="OssCatalog"/>) and the signed uploads not completed in time, with
/// their bytes.
/// </summary>
internal sealed class OssPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OssPruning> logger)
    : PeriodicPruning(TimeSpan.FromMinutes(10), clock, logger)
{
    protected override string What => "expired OSS objects";

    protected override async Task RoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (objects, uploads) = await scope.ServiceProvider.GetRequiredService<OssCatalog>().PruneAsync(ct);
        if (objects + uploads > 0) Logger.LogInformation("Pruned {Objects} expired OSS objects and {Uploads} expired uploads", objects, uploads);
    }
}
