using OpenIddict.Abstractions;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// Every token OpenIddict issues leaves a row (that is how revocation and refresh-token reuse are caught), so each hour
/// the rows of tokens and authorizations that ended more than a refresh token's lifetime ago are deleted: by then
/// nothing can present them again.
/// </summary>
internal sealed class OAuthPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OAuthPruning> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var (tokens, authorizations) = await PruneAsync(stoppingToken);
                logger.LogInformation("Pruned {Tokens} OAuth tokens and {Authorizations} authorizations", tokens, authorizations);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pruning OAuth tokens failed; trying again in {Interval}", Interval);
            }
        }
    }

    internal async Task<(long Tokens, long Authorizations)> PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = clock.GetUtcNow() - ApsAuthentication.RefreshTokenLifetime;
        return (await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct),
            await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct));
    }
}
