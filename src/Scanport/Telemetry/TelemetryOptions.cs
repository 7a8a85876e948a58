using System.ComponentModel.DataAnnotations;

namespace Scanport.Telemetry;

/// <summary>
/// The <c>Telemetry</c> configuration section. Everything is off unless configured: with neither a Prometheus scrape
/// endpoint nor an OTLP endpoint there is no exporter and no listener, only the instruments themselves.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The resource's <c>service.name</c>; default <c>scanport</c>, or <c>scanport-api</c> / <c>scanport-worker</c> by the node's role.</summary>
    [RegularExpression(@"^\S{1,100}$")]
    public string? ServiceName { get; set; }

    /// <summary>The resource's <c>service.instance.id</c>; default the host's name and the process id (two nodes may share a host).</summary>
    [RegularExpression(@"^\S{1,200}$")]
    public string? ServiceInstanceId { get; set; }

    public PrometheusOptions Prometheus { get; set; } = new();

    public OtlpOptions Otlp { get; set; } = new();

    internal bool Enabled => Prometheus.Enabled || Otlp.Endpoint is not null;

    public sealed class PrometheusOptions
    {
        /// <summary>Serve the metrics for Prometheus to scrape.</summary>
        public bool Enabled { get; set; }

        /// <summary>Where they are served.</summary>
        [Required, RegularExpression("^/[A-Za-z0-9/_.-]*$")]
        public string Path { get; set; } = "/metrics";

        /// <summary>Only connections to this local port are answered (elsewhere 404): one of the node's listen addresses kept inside the cluster.</summary>
        [Range(1, 65535)]
        public int? Port { get; set; }
    }

    public sealed class OtlpOptions
    {
        /// <summary>The collector traces, metrics and logs are sent to (e.g. <c>http://collector:4317</c>); null: no OTLP export.</summary>
        public Uri? Endpoint { get; set; }

        /// <summary><c>grpc</c> or <c>http/protobuf</c> (the signal's path, <c>/v1/traces</c>..., is appended to the endpoint).</summary>
        [Required, RegularExpression("^(grpc|http/protobuf)$")]
        public string Protocol { get; set; } = "grpc";
    }
}
