using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Scanport.Tests.Telemetry;

/// <summary>The suite's ordinary node configures no telemetry: no exporter, no listener, no scrape endpoint.</summary>
[Collection(AppCollection.Name)]
public sealed class DisabledTests(ScanportApp app)
{
    [Fact]
    public async Task With_nothing_configured_there_is_no_scrape_endpoint_and_no_exporter()
    {
        // Signed in: an anonymous caller gets the 401 of every path the app does not serve.
        using var client = app.Client(await app.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<OpenTelemetry.Logs.LoggerProvider>());
        Assert.DoesNotContain(app.Services.GetServices<ILoggerProvider>(), p => p.GetType().Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Every_route_but_the_operational_ones_names_its_surface()
    {
        // The request metrics' scanport.surface tag is the endpoint's group name.
        string[] operational = ["/healthz", "/readyz", "/openapi/{documentName}.json", "/docs/{documentName?}", "/docs/scalar.js",
            "/docs/scalar.aspnetcore.js", "/docs/favicon.svg"];
        var unnamed = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointGroupNameMetadata>() is null && !operational.Contains(e.RoutePattern.RawText))
            .Select(e => e.RoutePattern.RawText).Distinct().ToList();
        Assert.True(unnamed.Count == 0, "routes without a group name:\n" + string.Join('\n', unnamed));
    }
}
