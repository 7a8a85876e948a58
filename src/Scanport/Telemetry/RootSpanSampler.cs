using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Scanport.Telemetry;

/// <summary>
/// Decides for spans that start a trace: a request, a job, anything the app does is kept, but a database query or an
/// outgoing call with nothing around it is not. Hangfire polls PostgreSQL every second and the event relay listens
/// there all the time, so without this a node would send a trace a second that says only that it is idle. A span
/// with a parent in this process follows its parent. A parent from elsewhere (a caller's <c>traceparent</c>, or the one a
/// job was queued with) gives the trace its id but not the decision: callers are phones and scanners that may say
/// "not sampled" to any server, and an API node whose telemetry is off still hands its workers an unsampled parent.
/// </summary>
internal sealed class RootSpanSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public static Sampler Create() => new ParentBasedSampler(new RootSpanSampler(),
        remoteParentSampled: new AlwaysOnSampler(), remoteParentNotSampled: new AlwaysOnSampler());

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Drop : Keep;
}
