using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Scanport.Data;

namespace Scanport.Events;

/// <summary>
/// Carries <see cref="PostgresEventBus"/> events between nodes over one PostgreSQL channel: this node's events go out as
/// NOTIFY payloads (a batch per statement, delivered at its commit, in order), the other nodes' come in on a connection
/// kept in LISTEN. An event larger than a NOTIFY payload may be is stored in <c>event_payloads</c> and sent as its id.
/// When the database goes away the listener reconnects (250 ms, doubling to 5 s) and listens again; until then the node
/// reports not ready (<see cref="Listening"/>), and events published elsewhere meanwhile are not heard here.
/// </summary>
internal sealed class PostgresEventRelay(
    PostgresEventBus bus, IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<PostgresEventRelay> logger) : BackgroundService
{
    public const string ChannelName = "scanport_events";
    /// <summary>PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more.</summary>
    public const int MaxNotifyBytes = 7_999;
    private const int BatchSize = 256;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CleanupEvery = TimeSpan.FromMinutes(1);
    /// <summary>How long the sender lets events gather before a NOTIFY: repeats within it (a scan's "updated" for each frame) go once.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(5);

    private volatile bool _listening;

    /// <summary>Whether this node hears the other nodes' events now.</summary>
    public bool Listening => _listening;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString)
        {
            ApplicationName = "scanport-events",
            // An idle LISTEN connection whose server went away is noticed within seconds, not at the next NOTIFY.
            KeepAlive = 5,
            // A NOTIFY commits a transaction of its own: it need not wait for the WAL flush (a node that hears nothing after a
            // crash of the database reconnects and re-reads anyway), which would put an fsync beside every batch of frames.
            Options = "-c synchronous_commit=off",
        };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        var incoming = Channel.CreateBounded<string>(new BoundedChannelOptions(PostgresEventBus.OutgoingCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        await Task.WhenAll(ListenAsync(source, incoming.Writer, ct), ReceiveAsync(source, incoming.Reader, ct), SendAsync(source, ct));
    }

    private async Task ListenAsync(NpgsqlDataSource source, ChannelWriter<string> incoming, CancellationToken ct)
    {
        var retry = FirstRetry;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(ct);
                connection.Notification += (_, n) => incoming.TryWrite(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection)) await listen.ExecuteNonQueryAsync(ct);
                _listening = true;
                retry = FirstRetry;
                logger.LogInformation("Listening for the other nodes' events");
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Not listening for the other nodes' events: trying again in {Retry}", retry);
            }
            finally
            {
                _listening = false;
            }
            if (!await DelayAsync(retry, ct)) break;
            retry = retry * 2 > LastRetry ? LastRetry : retry * 2;
        }
    }

    private async Task ReceiveAsync(NpgsqlDataSource source, ChannelReader<string> incoming, CancellationToken ct)
    {
        try
        {
            await foreach (var payload in incoming.ReadAllAsync(ct))
            {
                try
                {
                    var envelope = JsonSerializer.Deserialize<Envelope>(payload);
                    if (envelope is null || envelope.Node == bus.Node) continue;
                    if (envelope.Reference is { } id) envelope = await ReadStoredAsync(source, id, ct);
                    if (envelope is { Topic: { } topic, Type: { } type, Json: { } json }) bus.Deliver(new DomainEvent(topic, type, json));
                }
                catch (Exception e) when (e is JsonException or NpgsqlException or InvalidOperationException)
                {
                    logger.LogWarning(e, "An event from another node could not be read");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        var batch = new List<string>(BatchSize);
        // PostgreSQL delivers a payload sent twice in one transaction once: repeats (a scan's "updated" for each of its
        // frames) are left out of the batch, which then carries each once.
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        var cleaned = clock.GetUtcNow();
        try
        {
            while (await bus.Outgoing.WaitToReadAsync(ct))
            {
                await Task.Delay(Gather, clock, ct);
                batch.Clear();
                inBatch.Clear();
                while (batch.Count < BatchSize && bus.Outgoing.TryRead(out var domainEvent))
                {
                    if (await EncodeAsync(source, domainEvent, ct) is { } payload && inBatch.Add(payload)) batch.Add(payload);
                }
                await NotifyAsync(source, batch, ct);
                if (clock.GetUtcNow() - cleaned > CleanupEvery)
                {
                    cleaned = clock.GetUtcNow();
                    await ForgetOldPayloadsAsync(source, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The event as a NOTIFY payload: itself, or the id of the row that keeps it. Null when it cannot be sent.</summary>
    private async Task<string?> EncodeAsync(NpgsqlDataSource source, DomainEvent e, CancellationToken ct)
    {
        var whole = JsonSerializer.Serialize(new Envelope(bus.Node, e.Topic, e.Type, e.Json, null));
        if (Encoding.UTF8.GetByteCount(whole) <= MaxNotifyBytes) return whole;
        try
        {
            await using var insert = source.CreateCommand("INSERT INTO event_payloads (body, created_at) VALUES ($1, now()) RETURNING id");
            insert.Parameters.Add(new NpgsqlParameter { Value = whole });
            var id = (long)(await insert.ExecuteScalarAsync(ct))!;
            return JsonSerializer.Serialize(new Envelope(bus.Node, null, null, null, id));
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Event {Type} on {Topic} ({Bytes} bytes) not sent to the other nodes", e.Type, e.Topic, whole.Length);
            return null;
        }
    }

    /// <summary>Sends the batch in one statement; while the database is away, tries again a few times, then drops it.</summary>
    private async Task NotifyAsync(NpgsqlDataSource source, List<string> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var retry = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var notify = source.CreateCommand($"SELECT pg_notify('{ChannelName}', p) FROM unnest($1) AS p");
                notify.Parameters.Add(new NpgsqlParameter { Value = batch.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await notify.ExecuteNonQueryAsync(ct);
                return;
            }
            catch (NpgsqlException e) when (attempt < 4)
            {
                logger.LogDebug(e, "Sending {Count} events to the other nodes failed (attempt {Attempt})", batch.Count, attempt);
                if (!await DelayAsync(retry, ct)) return;
                retry *= 2;
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "{Count} events were not sent to the other nodes", batch.Count);
                return;
            }
        }
    }

    private async Task<Envelope?> ReadStoredAsync(NpgsqlDataSource source, long id, CancellationToken ct)
    {
        await using var select = source.CreateCommand("SELECT body FROM event_payloads WHERE id = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = id });
        return await select.ExecuteScalarAsync(ct) is string body ? JsonSerializer.Deserialize<Envelope>(body) : null;
    }

    private async Task ForgetOldPayloadsAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        try
        {
            await using var delete = source.CreateCommand("DELETE FROM event_payloads WHERE created_at < now() - interval '5 minutes'");
            await delete.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException e)
        {
            logger.LogDebug(e, "Old event payloads not deleted this time");
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, clock, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What a notification carries: the event, or the id of the row that keeps it; and the node that sent it.</summary>
    private sealed record Envelope(
        [property: JsonPropertyName("n")] string Node,
        [property: JsonPropertyName("t")] string? Topic,
        [property: JsonPropertyName("y")] string? Type,
        [property: JsonPropertyName("j")] string? Json,
        [property: JsonPropertyName("r")] long? Reference);
}

/// <summary>Not ready while the node does not hear the other nodes' events (a status stream here would miss theirs).</summary>
internal sealed class EventRelayHealthCheck(PostgresEventRelay relay) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(relay.Listening ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Not listening for the other nodes' events"));
}
