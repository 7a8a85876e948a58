using System.Threading.Channels;

namespace Scanport.Events;

/// <summary>
/// The production mode's event bus: every node's subscribers hear every node's events. A publish is delivered to this
/// node's subscribers at once and queued for <see cref="PostgresEventRelay"/>, which sends it to the other nodes with
/// PostgreSQL's NOTIFY and delivers theirs here. Delivery stays best effort, as in-process: a node that is cut off from
/// the database misses what is published meanwhile (job events are kept in the database and replayed by id).
/// </summary>
internal sealed class PostgresEventBus : IEventBus
{
    /// <summary>How many events may wait for the relay; past it the oldest are dropped (and counted).</summary>
    public const int OutgoingCapacity = 10_000;

    private readonly InProcessEventBus _local = new();
    private readonly Channel<DomainEvent> _outgoing;
    private long _dropped;

    public PostgresEventBus() =>
        _outgoing = Channel.CreateBounded<DomainEvent>(new BoundedChannelOptions(OutgoingCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));

    /// <summary>This process among the nodes: its own notifications come back to it and are skipped.</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Events dropped because the relay could not keep up (the database was away, or too slow).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(DomainEvent domainEvent)
    {
        _local.Publish(domainEvent);
        _outgoing.Writer.TryWrite(domainEvent);
    }

    public EventSubscription Subscribe(string topic, int capacity = 64) => _local.Subscribe(topic, capacity);

    /// <summary>What this node published, for the relay to send.</summary>
    internal ChannelReader<DomainEvent> Outgoing => _outgoing.Reader;

    /// <summary>An event another node published, for this node's subscribers.</summary>
    internal void Deliver(DomainEvent domainEvent) => _local.Publish(domainEvent);
}
