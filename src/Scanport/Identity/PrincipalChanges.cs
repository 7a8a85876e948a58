using System.Text.Json;
using Scanport.Events;

namespace Scanport.Identity;

/// <summary>
/// Hears the principals changed on any node (<see cref="PrincipalStates.Forget"/> announces them on the event bus) and
/// forgets them here, so a revoked key, a deleted or demoted user, a revoked device or a changed password stops on every
/// node at once, not after <see cref="PrincipalStates.MaxAge"/>.
/// </summary>
internal sealed class PrincipalChanges(PrincipalStates states, IEventBus events, ILogger<PrincipalChanges> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        // Large enough for a burst of changes (a batch of deletions); past it the oldest wait out MaxAge instead.
        using var subscription = events.Subscribe(PrincipalStates.Topic, capacity: 4096);
        try
        {
            await foreach (var change in subscription.Reader.ReadAllAsync(ct))
            {
                try
                {
                    states.ForgetHere(JsonSerializer.Deserialize<Guid>(change.Json));
                }
                catch (JsonException e)
                {
                    logger.LogWarning(e, "A principal change could not be read: {Json}", change.Json);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
