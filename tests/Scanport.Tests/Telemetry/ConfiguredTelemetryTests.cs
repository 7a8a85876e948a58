using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Scanport.Tests.Telemetry;

/// <summary>
/// An API node with both exporters configured: OTLP to a collector (none listens there: nothing here waits for it)
/// and the Prometheus scrape on a port of its own.
/// </summary>
public sealed class ConfiguredTelemetryTests : IAsyncLifetime
{
    private ScanportApp _app = null!;

    public async Task InitializeAsync() => _app = await ScanportApp.StartAsync(new Dictionary<string, string>
    {
        ["Jobs:Role"] = "api",
        ["Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:9/",
        ["Telemetry:Otlp:Protocol"] = "http/protobuf",
        ["Telemetry:Prometheus:Enabled"] = "true",
        // A port the test server does not listen on: its one address is the API's.
        ["Telemetry:Prometheus:Port"] = "1",
    });

    public async Task DisposeAsync() => await ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task The_scrape_is_404_on_any_port_but_its_own()
    {
        using var client = _app.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public void Otlp_exports_traces_metrics_and_logs_as_the_nodes_role()
    {
        var traces = _app.Services.GetRequiredService<TracerProvider>();
        Assert.NotNull(_app.Services.GetService<MeterProvider>());
        Assert.NotNull(_app.Services.GetService<LoggerProvider>());
        var resource = traces.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("scanport-api", resource["service.name"]);
        Assert.Equal("api", resource["scanport.role"]);
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", resource["service.instance.id"]);
    }
}
