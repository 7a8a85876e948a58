using OpenIddict.Abstractions;
using Scanport.Data;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// Every token OpenIddict issues leaves a row (that is how revocation and refresh-token reuse are caught), so each hour
/// the rows of tokens and authorizations that ended more than a refresh token's lifetime ago are deleted: by then
/// nothing can present them again.
/// </summary>
internal sealed class OAuthPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OAuthPruning> logger)
    : PeriodicPruning(TimeSpan.FromHours(1), clock, logger)
{
    protected override string What => "OAuth tokens";

    protected override async Task RoundAsync(CancellationToken ct)
    {
        var (tokens, authorizations) = await PruneAsync(ct);
        Logger.LogInformation("Pruned {Tokens} OAuth tokens and {Authorizations} authorizations", tokens, authorizations);
    }

    internal async Task<(long Tokens, long Authorizations)> PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = Clock.GetUtcNow() - ApsAuthentication.RefreshTokenLifetime;
        return (await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct),
            await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct));
    }
}
