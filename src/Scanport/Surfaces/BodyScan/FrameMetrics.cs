using System.Diagnostics.Metrics;
using Scanport.Telemetry;

namespace Scanport.Surfaces.BodyScan;

/// <summary><c>scanport.bodyscan.frames</c>: body-scan frames stored (a frame number sent again is not counted twice).</summary>
internal sealed class FrameMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _frames = meters.ScanportMeter().CreateCounter<long>(
        "scanport.bodyscan.frames", "{frame}", "Body-scan frames ingested");

    public void Recorded(int count)
    {
        if (count > 0) _frames.Add(count);
    }
}
