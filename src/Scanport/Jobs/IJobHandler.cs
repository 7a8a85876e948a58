namespace Scanport.Jobs;

/// <summary>The work of one job type. Handlers are re-entrant: a retried job must produce one result.</summary>
public interface IJobHandler
{
    /// <summary>The job type this handler runs (the <c>Type</c> of its rows).</summary>
    string Type { get; }

    /// <summary>The queue its jobs go to, named after the work (for example <c>ingest</c>, <c>reconstruction</c>).</summary>
    string Queue { get; }

    /// <summary>
    /// Runs the job: <see cref="JobOutcome.Succeeded"/> with the JSON that becomes the job's result, or
    /// <see cref="JobOutcome.Failed"/> for an expected failure that retrying cannot fix (bad input). An exception is
    /// for the unexpected, and the attempt is retried; a helper deep in the work may throw <see cref="JobFailedException"/>.
    /// </summary>
    Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct);

    /// <summary>
    /// Told, before the job's row says <c>failed</c> and <c>job_failed</c> is published, that the job has failed
    /// for good: a <see cref="JobFailedException"/>, an exception on its last attempt (a bug included), or a worker that
    /// died during its last attempt. The handler ends what the job worked on in its surface's failed state with
    /// <paramref name="error"/> as the reason, so that nothing shows it in progress for ever. The reason is the
    /// <see cref="JobFailedException"/>'s message, or for an unexpected exception one that names the job and not the
    /// exception's words (which may name the server's paths). An earlier attempt may already have finished the entity:
    /// leave a finished one as it is (should the process die before the row is written, the job runs again and finds
    /// it so). A hook that throws is logged.
    /// </summary>
    Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct);
}

/// <summary>How a job's attempt ended when it ended as the handler expected.</summary>
/// <param name="Result">The job's result (JSON), when it succeeded.</param>
/// <param name="Failure">Why it failed, when it failed; retrying would not help.</param>
public sealed record JobOutcome(string? Result, string? Failure)
{
    public static JobOutcome Succeeded(string? result = null) => new(result, null);
    public static JobOutcome Failed(string reason) => new(null, reason);
}

/// <summary>A failure that retrying cannot fix, thrown where returning <see cref="JobOutcome.Failed"/> is not at hand; the job fails at once with this message.</summary>
public sealed class JobFailedException(string message) : Exception(message);

/// <summary>Something that happened to a job: <c>job_started</c>, <c>job_progress</c>, <c>job_completed</c>, <c>job_failed</c> or <c>job_cancelled</c>.</summary>
/// <param name="Job">The job's row as it was claimed (its status is not updated for each event).</param>
/// <param name="Type">The event's name, as above.</param>
/// <param name="Progress">0–100 on progress events.</param>
/// <param name="Stage">The step named by the handler with its progress, if any.</param>
/// <param name="Error">Why a job failed.</param>
public sealed record JobEvent(Job Job, string Type, int? Progress, string? Stage, string? Error);

/// <summary>
/// Told of every event of every job, in order, in the process that runs it, before the event is published on the
/// in-process bus. Registered scoped; one that fails is logged and does not fail the job.
/// </summary>
public interface IJobObserver
{
    Task OnJobEventAsync(JobEvent jobEvent, CancellationToken ct);
}
