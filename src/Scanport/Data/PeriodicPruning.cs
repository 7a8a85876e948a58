namespace Scanport.Data;

/// <summary>
/// A background loop that removes what has expired, every <paramref name="interval"/>: a round that fails (the database
/// away) is logged and the next tick tries again. A subclass says what it prunes and runs one round, logging what it removed.
/// </summary>
internal abstract class PeriodicPruning(TimeSpan interval, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected ILogger Logger { get; } = logger;
    protected TimeProvider Clock { get; } = clock;

    /// <summary>What this prunes, for the warning when a round fails ("expired OSS objects").</summary>
    protected abstract string What { get; }

    protected abstract Task RoundAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logger.LogWarning(e, "Pruning {What} failed; trying again in {Interval}", What, interval);
            }
        }
    }
}
