using System.Threading.Channels;

namespace Scanport.Events;

/// <summary>The embedded mode's event bus: subscribers in this process only.</summary>
internal sealed class InProcessEventBus : IEventBus
{
    private readonly Lock _gate = new();
    // Copy-on-write arrays: publishing (every recorded frame) reads without taking the lock.
    private volatile Dictionary<string, Channel<DomainEvent>[]> _topics = new();

    public void Publish(DomainEvent domainEvent)
    {
        if (!_topics.TryGetValue(domainEvent.Topic, out var channels)) return;
        foreach (var channel in channels) channel.Writer.TryWrite(domainEvent);
    }

    public EventSubscription Subscribe(string topic, int capacity = 64)
    {
        var channel = Channel.CreateBounded<DomainEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        Update(topic, list => [.. list, channel]);
        return new EventSubscription(channel.Reader, () =>
        {
            channel.Writer.TryComplete();
            Update(topic, list => list.Where(c => c != channel).ToArray());
        });
    }

    private void Update(string topic, Func<Channel<DomainEvent>[], Channel<DomainEvent>[]> change)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, Channel<DomainEvent>[]>(_topics);
            var list = change(next.GetValueOrDefault(topic) ?? []);
            if (list.Length == 0) next.Remove(topic); else next[topic] = list;
            _topics = next;
        }
    }
}

internal static class EventsModule
{
    /// <summary>
    /// On PostgreSQL (production, possibly several nodes) events cross processes through the database; on SQLite (one
    /// embedded node) they stay in the process.
    /// </summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection(Data.DatabaseOptions.Section).Get<Data.DatabaseOptions>() ?? new();
        if (database.Provider != "postgres") return services.AddSingleton<IEventBus, InProcessEventBus>();
        services.AddSingleton<PostgresEventBus>();
        services.AddSingleton<IEventBus>(sp => sp.GetRequiredService<PostgresEventBus>());
        services.AddSingleton<PostgresEventRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresEventRelay>());
        services.AddHealthChecks().AddCheck<EventRelayHealthCheck>("events", tags: ["ready"]);
        return services;
    }
}
