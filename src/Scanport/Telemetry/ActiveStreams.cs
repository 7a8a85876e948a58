using System.Diagnostics.Metrics;

namespace Scanport.Telemetry;

/// <summary>
/// Long-lived answers open now (a body-scan status stream, a job WebSocket): <c>scanport.active_streams</c>, by
/// <c>scanport.stream</c>. A surface opens one when its stream starts and disposes it when the stream ends.
/// </summary>
public sealed class ActiveStreams(IMeterFactory meters)
{
    private readonly UpDownCounter<long> _open = meters.ScanportMeter().CreateUpDownCounter<long>(
        "scanport.active_streams", "{stream}", "Server-sent event streams and WebSockets open now");

    /// <param name="kind">What is streamed, for example <c>bodyscan.status</c>; a fixed name, never an id.</param>
    public IDisposable Open(string kind)
    {
        var tag = new KeyValuePair<string, object?>("scanport.stream", kind);
        _open.Add(1, tag);
        return new Closer(() => _open.Add(-1, tag));
    }

    private sealed class Closer(Action close) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) close();
        }
    }
}
