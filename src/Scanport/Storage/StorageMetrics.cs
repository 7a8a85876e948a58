using System.Diagnostics.Metrics;
using Scanport.Telemetry;

namespace Scanport.Storage;

/// <summary>
/// <c>scanport.storage.written</c>: bytes Scanport wrote to its object store, by provider. The embedded store counts every
/// object and part written through it, over its S3 endpoint or not; the <c>s3</c> provider counts what the server
/// itself puts there (uploads clients send straight to S3 with presigned URLs never pass through it). A copy writes no bytes.
/// </summary>
public sealed class StorageMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _written = meters.ScanportMeter().CreateCounter<long>(
        "scanport.storage.written", "By", "Bytes written to the object store");

    internal void Written(string provider, long bytes) =>
        _written.Add(bytes, new KeyValuePair<string, object?>("scanport.storage.provider", provider));
}
