using System.Threading.Channels;

namespace Scanport.Events;

/// <summary>
/// Something that happened, addressed to a topic (for example <c>scan:{id}</c>). The payload is JSON so the
/// same event can cross process boundaries unchanged.
/// </summary>
public sealed record DomainEvent(string Topic, string Type, string Json);

/// <summary>Publish/subscribe for domain events. Delivery is best effort: a slow subscriber loses the oldest events.</summary>
public interface IEventBus
{
    void Publish(DomainEvent domainEvent);

    /// <summary>Subscribes to one topic until the subscription is disposed.</summary>
    EventSubscription Subscribe(string topic, int capacity = 64);
}

/// <summary>A live subscription; dispose it to stop receiving.</summary>
public sealed class EventSubscription(ChannelReader<DomainEvent> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<DomainEvent> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
