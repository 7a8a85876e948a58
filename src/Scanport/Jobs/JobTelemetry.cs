using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Telemetry;

namespace Scanport.Jobs;

/// <summary>
/// A trace that crosses the queue: a job stores the W3C <c>traceparent</c> of whatever queued it (a request, another job),
/// and each attempt runs in a span that is that span's child, on whichever node works the queue.
/// </summary>
internal static class JobTraces
{
    public const int TraceParentLength = 55;

    /// <summary>The traceparent of what is running now, to be stored with a job it queues.</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { Length: TraceParentLength } id } ? id : null;

    /// <summary>
    /// The span of one attempt. With nothing listening it is a bare activity under the same parent all the same: it
    /// costs nothing worth counting beside a job, and the worker's log lines then carry the trace id of the request that
    /// queued the job, telemetry on or off.
    /// </summary>
    public static Activity? StartAttempt(Job job)
    {
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out var parent);
        var activity = ScanportTelemetry.Source.StartActivity(ActivityKind.Consumer, parent, name: $"job {job.Type}");
        if (activity is null)
        {
            activity = new Activity("job");
            if (job.TraceParent is not null) activity.SetParentId(job.TraceParent);
            return activity.Start();
        }
        if (activity.IsAllDataRequested)
            activity.SetTag("scanport.job.id", job.Id).SetTag("scanport.job.type", job.Type).SetTag("scanport.job.queue", job.Queue)
                .SetTag("scanport.job.attempt", job.Attempts);
        return activity;
    }

    public static void End(Activity? activity, string outcome, string error)
    {
        if (activity is not { IsAllDataRequested: true }) return;
        activity.SetTag("scanport.job.outcome", outcome);
        if (outcome is JobOutcomes.Failed or JobOutcomes.Retried) activity.SetStatus(ActivityStatusCode.Error, error);
    }
}

/// <summary>How an attempt ended, as the job metrics and spans say it.</summary>
internal static class JobOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    /// <summary>It failed, and the job will be tried again.</summary>
    public const string Retried = "retried";
    /// <summary>The process stopped under it; the job went back to the queue.</summary>
    public const string Interrupted = "interrupted";
    /// <summary>Its worker was taken for dead and the job claimed again: the other attempt finishes it.</summary>
    public const string Superseded = "superseded";

    /// <summary>The outcome of an attempt that ended with the row's <paramref name="status"/>.</summary>
    public static string Of(string status, bool stopping, bool superseded) => superseded ? Superseded : stopping ? Interrupted : status switch
    {
        JobStatus.Succeeded => Succeeded,
        JobStatus.Cancelled => Cancelled,
        JobStatus.Queued => Retried,
        _ => Failed,
    };
}

/// <summary>
/// <c>scanport.job.duration</c> of each attempt by queue, type and outcome; <c>scanport.job.queue.depth</c> and
/// <c>scanport.job.running</c> per queue, read from the job table at most once a second however many gauges and
/// readers ask (the table is the cluster's, so every node reports the same numbers).
/// </summary>
public sealed class JobMetrics
{
    private static readonly TimeSpan SnapshotAge = TimeSpan.FromSeconds(1);
    private readonly Histogram<double> _duration;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<JobMetrics> _logger;
    private readonly Lock _gate = new();
    private long _takenAt;
    private List<QueueCount> _counts = [];

    public JobMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, ILogger<JobMetrics> logger)
    {
        (_scopes, _clock, _logger) = (scopes, clock, logger);
        var meter = meters.ScanportMeter();
        _duration = meter.CreateHistogram("scanport.job.duration", "s", "How long job attempts ran", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 10800],
        });
        meter.CreateObservableGauge("scanport.job.queue.depth", () => Observe(c => c.Queued), "{job}", "Jobs waiting in each queue");
        meter.CreateObservableGauge("scanport.job.running", () => Observe(c => c.Running), "{job}", "Jobs of each queue running now");
    }

    internal void Record(Job job, string outcome, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new("scanport.job.queue", job.Queue), new("scanport.job.type", job.Type), new("scanport.job.outcome", outcome));

    private IEnumerable<Measurement<long>> Observe(Func<QueueCount, long> count) =>
        Snapshot().Select(c => new Measurement<long>(count(c), new KeyValuePair<string, object?>("scanport.job.queue", c.Queue)));

    private List<QueueCount> Snapshot()
    {
        lock (_gate)
        {
            if (_takenAt != 0 && _clock.GetElapsedTime(_takenAt) < SnapshotAge) return _counts;
            try
            {
                using var scope = _scopes.CreateScope();
                var rows = scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<Job>().AsNoTracking()
                    .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
                    .GroupBy(j => new { j.Queue, j.Status }).Select(g => new { g.Key.Queue, g.Key.Status, Count = g.LongCount() }).ToList();
                // Every known queue is reported, empty ones as 0, so a series does not vanish when its queue drains.
                var queues = scope.ServiceProvider.GetServices<IJobHandler>().Select(h => h.Queue).Append("default").Concat(rows.Select(r => r.Queue)).Distinct();
                _counts = queues.Select(q => new QueueCount(q,
                    rows.Where(r => r.Queue == q && r.Status == JobStatus.Queued).Sum(r => r.Count),
                    rows.Where(r => r.Queue == q && r.Status == JobStatus.Running).Sum(r => r.Count))).ToList();
            }
            catch (Exception e)
            {
                // A scrape must not fail with the database: the gauges skip this collection.
                _logger.LogWarning(e, "The job table could not be read for the queue gauges");
                _counts = [];
            }
            _takenAt = _clock.GetTimestamp();
            return _counts;
        }
    }

    private sealed record QueueCount(string Queue, long Queued, long Running);
}
