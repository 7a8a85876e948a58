using System.Collections.Concurrent;
using Scanport.Surfaces.Aps.ModelDerivative;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>A derivative event sink of the test hosts (beside the webhooks' own): every event any translation raised.</summary>
public sealed class DerivativeEventRecorder : IDerivativeEventSink
{
    public static readonly ConcurrentQueue<DerivativeEvent> Events = new();

    public Task RaiseAsync(DerivativeEvent derivativeEvent, CancellationToken ct)
    {
        Events.Enqueue(derivativeEvent);
        return Task.CompletedTask;
    }
}
