using System.Text.Json;

namespace Scanport.Jobs;

/// <summary>
/// What a running job can see and report. Progress is passed on at most every half second (always when the stage
/// changes, and at 100); log lines are collected and written together, every second and when the attempt ends.
/// </summary>
public sealed class JobContext
{
    private readonly Job job;
    private readonly JobWorkFolder? work;
    private readonly ProgressThrottle progress;
    private readonly BatchedLog log;

    public JobContext(Job job, Func<int, string?, Task> progress, Func<IReadOnlyList<(DateTimeOffset? At, string Line)>, Task> log,
        JobWorkFolder? work = null, TimeProvider? clock = null)
    {
        this.job = job;
        this.work = work;
        this.progress = new ProgressThrottle(progress, clock ?? TimeProvider.System);
        this.log = new BatchedLog(log, clock ?? TimeProvider.System);
    }

    public Guid JobId => job.Id;
    public Guid OrgId => job.OrgId;
    public string? Subject => job.Subject;
    public int Attempt => job.Attempts;

    /// <summary>The payload the job was queued with, read back as <typeparamref name="T"/>.</summary>
    public T Payload<T>() => JsonSerializer.Deserialize<T>(job.Payload) ?? throw new JsonException($"Job {job.Id} has a null payload.");

    /// <summary>
    /// This attempt's own empty folder under the data directory, made on first use; deleted when the attempt ends,
    /// whatever the outcome (so nothing in it outlives the attempt).
    /// </summary>
    public string WorkFolder => (work ?? throw new InvalidOperationException("A job's work folder exists only while it runs.")).Path;

    /// <summary>Reports progress 0–100 (stored, and published as an event, at most every half second).</summary>
    public Task ReportProgressAsync(int percent) => progress.ReportAsync(Math.Clamp(percent, 0, 100), null);

    /// <summary>Reports progress 0–100 and the step the job is in (for example <c>feature_extraction</c>); a new step is always passed on.</summary>
    public Task ReportProgressAsync(int percent, string? stage) => progress.ReportAsync(Math.Clamp(percent, 0, 100), stage);

    /// <summary>Appends a line to the job's log, stamped with the time now.</summary>
    public Task LogAsync(string line) => log.WriteAsync([(null, line)]);

    /// <summary>Appends lines collected earlier, each stamped with the time it was seen.</summary>
    public Task LogAsync(IReadOnlyList<(DateTimeOffset? At, string Line)> lines) => log.WriteAsync(lines);

    /// <summary>Writes the log lines collected so far (the runner's, every second and when the attempt ends).</summary>
    internal Task FlushLogAsync(bool end = false) => log.FlushAsync(end);
}
