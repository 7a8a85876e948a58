namespace Scanport.Jobs;

/// <summary>The work of one job type. Handlers are re-entrant: a retried job must produce one result.</summary>
public interface IJobHandler
{
    /// <summary>The job type this handler runs (the <c>Type</c> of its rows).</summary>
    string Type { get; }

    /// <summary>The queue its jobs go to, named after the work (for example <c>ingest</c>, <c>reconstruction</c>).</summary>
    string Queue { get; }

    /// <summary>Runs the job; the returned JSON becomes the job's result. Throw <see cref="JobFailedException"/> for a failure not worth retrying.</summary>
    Task<string?> RunAsync(JobContext context, CancellationToken ct);
}

/// <summary>A failure that retrying cannot fix (bad input); the job fails at once with this message.</summary>
public sealed class JobFailedException(string message) : Exception(message);

/// <summary>What a running job can see and report.</summary>
public sealed class JobContext(Job job, Func<int, Task> progress, Func<string, Task> log)
{
    public Guid JobId => job.Id;
    public Guid OrgId => job.OrgId;
    public string Payload => job.Payload;
    public string? Subject => job.Subject;
    public int Attempt => job.Attempts;

    /// <summary>Reports progress 0–100 (stored, and published as an event).</summary>
    public Task ReportProgressAsync(int percent) => progress(Math.Clamp(percent, 0, 100));

    /// <summary>Appends a line to the job's log.</summary>
    public Task LogAsync(string line) => log(line);
}
