using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scanport.Events;
using Scanport.Tests.Surfaces.BodyScan;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Cluster;

/// <summary>
/// Two nodes over one PostgreSQL database hear each other's events (LISTEN/NOTIFY): a status stream on one node follows
/// frames posted to the other, a revoked API key stops on both at once, an event too large for NOTIFY crosses by
/// reference, and a node whose listening connection is cut (as by a restart of PostgreSQL) listens again, ready, and hears
/// the others.
/// PostgreSQL only (./test runs this class in its PostgreSQL pass).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class EventBusTests : IAsyncLifetime
{
    private ScanportApp _a = null!;
    private ScanportApp _b = null!;

    public async Task InitializeAsync()
    {
        Assert.True(ScanportApp.PostgresServer is not null, "The cluster tests need PostgreSQL: set SCANPORT_TEST_PG (./test does).");
        _a = await ScanportApp.StartAsync(new Dictionary<string, string>());
        // Another machine: nothing shared but the database.
        _b = await _a.StartAnotherNodeAsync(ownDataDirectory: true);
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_b).DisposeAsync();
        await ((IAsyncLifetime)_a).DisposeAsync();
    }

    [Fact]
    public void What_one_node_protects_another_reads_its_data_protection_keys_are_in_the_database()
    {
        const string purpose = "Scanport.Tests.Cluster";
        var sealedOnA = _a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("antiforgery and stored secrets");

        Assert.Equal("antiforgery and stored secrets", _b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(sealedOnA));
    }

    [Fact]
    public async Task A_status_stream_on_one_node_follows_the_frames_posted_to_the_other()
    {
        var token = await _a.AdminTokenAsync();
        using var a = _a.Client(token);
        using var b = _b.Client(token);
        var scanId = await a.InitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/scan/status/stream?scanId={scanId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await b.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token)
            .GetAsyncEnumerator(timeout.Token);
        Assert.Equal(0, (await NextStatusAsync(events)).GetProperty("frameCount").GetInt32());

        for (var frame = 0; frame < 5; frame++)
        {
            await (await a.FrameAsync(scanId, frame)).Status(HttpStatusCode.Created);
            // Each frame is an event on node A that node B's stream answers with a fresh status.
            Assert.Equal(frame + 1, (await NextStatusAsync(events, frame + 1)).GetProperty("frameCount").GetInt32());
        }
        await (await a.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.OK);
        Assert.Equal("completed", (await NextStatusAsync(events, 5, "completed")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_revoked_api_key_is_refused_by_the_other_node_at_once()
    {
        var tenant = await _a.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync("operator");
        using var onB = _b.Client(secret);
        await (await onB.GetAsync("/platform/v1/me")).Status(HttpStatusCode.OK); // node B now knows the key as valid

        using var admin = tenant.Admin();
        (await admin.DeleteAsync($"/platform/v1/api-keys/{keyId}")).Dispose();

        // Without the news node B would keep its answer for up to 10 s (PrincipalStates.MaxAge); the bus brings it in a moment.
        var refused = false;
        for (var i = 0; i < 20 && !refused; i++)
        {
            using var me = await onB.GetAsync("/platform/v1/me");
            refused = me.StatusCode == HttpStatusCode.Unauthorized;
            if (!refused) await Task.Delay(100);
        }
        Assert.True(refused, "node B still accepts the key revoked on node A after 2 s");
    }

    [Fact]
    public async Task An_event_larger_than_a_notification_crosses_by_reference()
    {
        var topic = $"test:{Guid.NewGuid():N}";
        using var subscription = _b.Services.GetRequiredService<IEventBus>().Subscribe(topic);
        var large = JsonSerializer.Serialize(new string('x', 20_000));

        _a.Services.GetRequiredService<IEventBus>().Publish(new DomainEvent(topic, "test.large", large));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await subscription.Reader.ReadAsync(timeout.Token);
        Assert.Equal(("test.large", large), (received.Type, received.Json));
    }

    [Fact]
    public async Task A_node_whose_listening_connection_is_cut_listens_again_and_hears_the_others()
    {
        var topic = $"test:{Guid.NewGuid():N}";
        using var subscription = _b.Services.GetRequiredService<IEventBus>().Subscribe(topic);
        using var b = _b.Client();
        await WaitForReadinessAsync(b, HttpStatusCode.OK);

        // Every listening connection of the database is cut, as a restart of PostgreSQL would.
        await using (var connection = new NpgsqlConnection(ScanportApp.PostgresServer))
        {
            await connection.OpenAsync();
            await using var cut = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scanport-events' AND datname = @db", connection);
            cut.Parameters.AddWithValue("db", _a.DatabaseName!);
            var terminated = 0;
            await using (var rows = await cut.ExecuteReaderAsync())
                while (await rows.ReadAsync()) terminated += rows.GetBoolean(0) ? 1 : 0;
            Assert.Equal(2, terminated); // one listening connection per node
        }

        await WaitForReadinessAsync(b, HttpStatusCode.OK);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // One read, waited on while publishing: a new read each round would queue behind the earlier ones, which take the
        // events first.
        var read = subscription.Reader.ReadAsync(timeout.Token).AsTask();
        do
        {
            // Published until heard: events sent while B was not yet listening again are lost, as documented.
            _a.Services.GetRequiredService<IEventBus>().Publish(new DomainEvent(topic, "test.after", "{}"));
        }
        while (await Task.WhenAny(read, Task.Delay(500, timeout.Token)) != read);
        Assert.Equal("test.after", (await read).Type);
    }

    private static async Task WaitForReadinessAsync(HttpClient client, HttpStatusCode expected)
    {
        for (var i = 0; i < 300; i++)
        {
            using var ready = await client.GetAsync("/readyz");
            if (ready.StatusCode == expected) return;
            await Task.Delay(100);
        }
        Assert.Fail($"/readyz did not answer {expected} within 30 s");
    }

    private static async Task<JsonElement> NextStatusAsync(IAsyncEnumerator<SseItem<string>> events, int frames = 0, string? status = null)
    {
        while (await events.MoveNextAsync())
        {
            var item = JsonDocument.Parse(events.Current.Data).RootElement;
            if (item.GetProperty("frameCount").GetInt32() >= frames && (status is null || item.GetProperty("status").GetString() == status)) return item;
        }
        throw new InvalidOperationException("the stream ended");
    }
}
