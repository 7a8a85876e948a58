using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Scanport.Telemetry;

/// <summary>
/// OpenTelemetry for the node: traces (ASP.NET Core, HttpClient, Npgsql and Scanport's own spans), metrics (the same, the
/// runtime's, and Scanport's meter) and logs, exported over OTLP and served to Prometheus when configured, and trace ids
/// in every log scope always.
/// </summary>
internal static class TelemetryModule
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelemetryOptions.Section);
        services.AddOptions<TelemetryOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<TelemetryOptions>() ?? new();
        services.AddSingleton<ActiveStreams>();
        services.AddSingleton<IStartupFilter, SurfaceTagsStartup>();
        AddTraceIdsToLogs(services, configuration);

        // What a provider listens to is registered always, but a provider is made only when an exporter is configured
        // below (or a test adds one): until then nothing listens, and spans and measurements are not even made.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(ScanportTelemetry.Name)
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path, options))
            .AddHttpClientInstrumentation()
            .AddNpgsql()
            .SetSampler(RootSpanSampler.Create()));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(ScanportTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddNpgsqlInstrumentation());
        if (!options.Enabled) return services;

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => Describe(resource, options, configuration));
        if (options.Prometheus.Enabled)
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter(o => o.ScrapeEndpointPath = options.Prometheus.Path));
        if (options.Otlp.Endpoint is { } endpoint)
        {
            // Traces, metrics and logs alike; OTEL_EXPORTER_OTLP_HEADERS and the other standard variables still apply.
            telemetry.UseOtlpExporter(options.Otlp.Protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf, endpoint);
            services.Configure<OpenTelemetryLoggerOptions>(o => (o.IncludeScopes, o.IncludeFormattedMessage) = (true, true));
        }
        return services;
    }

    /// <summary>The Prometheus scrape endpoint, when it is on: anonymous like <c>/healthz</c>, and only on its port when one is set.</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        var prometheus = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus;
        if (!prometheus.Enabled) return app;
        Action<IApplicationBuilder>? onlyOnItsPort = prometheus.Port is { } port
            ? branch => branch.Use((context, next) =>
            {
                if (context.Connection.LocalPort == port) return next(context);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            })
            : null;
        app.MapPrometheusScrapingEndpoint(prometheus.Path, meterProvider: null, onlyOnItsPort, optionsName: null)
            .AllowAnonymous().WithDisplayName("Prometheus scrape endpoint");
        return app;
    }

    /// <summary>
    /// Every log scope carries the trace and span ids (ASP.NET Core's activity tracking), and the JSON console formatter
    /// (<c>Logging__Console__FormatterName=json</c>) writes the scopes unless told otherwise, so its lines show them.
    /// </summary>
    private static void AddTraceIdsToLogs(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (configuration["Logging:Console:FormatterOptions:IncludeScopes"] is null)
            services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
    }

    /// <summary>Probes and scrapes come every few seconds and say nothing a trace would add: they are counted, not traced.</summary>
    private static bool IsProbe(PathString path, TelemetryOptions options) =>
        path == "/healthz" || path == "/readyz" || path == options.Prometheus.Path;

    private static void Describe(ResourceBuilder resource, TelemetryOptions options, IConfiguration configuration)
    {
        // Jobs' keys, read as text (`--role` and `--queues` set them too): the node's role names its service by default.
        var role = configuration["Jobs:Role"] ?? "all";
        var attributes = new List<KeyValuePair<string, object>> { new("host.name", Environment.MachineName), new("scanport.role", role) };
        if (configuration["Jobs:Queues"] is { Length: > 0 } queues) attributes.Add(new("scanport.queues", queues));
        resource.AddService(
                options.ServiceName ?? (role == "all" ? "scanport" : $"scanport-{role}"),
                serviceVersion: typeof(TelemetryModule).Assembly.GetName().Version?.ToString(),
                autoGenerateServiceInstanceId: false,
                serviceInstanceId: options.ServiceInstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}")
            .AddAttributes(attributes);
    }
}
