using System.ComponentModel.DataAnnotations;

namespace Scanport.Jobs;

/// <summary>The <c>Jobs</c> configuration section; <c>--role</c> and <c>--queues</c> on the command line set the same keys.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// <c>all</c> (API and worker), <c>api</c> (no worker) or <c>worker</c>; <c>storage</c> runs only the embedded S3
    /// endpoint (Storage/StorageNode.cs) and never reads the rest of these options.
    /// </summary>
    [Required, RegularExpression("^(all|api|worker)$")]
    public string Role { get; set; } = "all";

    /// <summary>The queues this process works on, comma-separated; empty means every queue.</summary>
    public string? Queues { get; set; }

    /// <summary>Worker threads of this process.</summary>
    [Range(1, 64)] public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How often a running job checks whether it was cancelled.</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a running job's heartbeat (written every <see cref="CancelPollInterval"/>) may be silent before its worker
    /// counts as dead and another may claim the job.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the first retry of a failed job; each further retry waits four times longer.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long job events are kept for readers that replay them (a WebSocket that reconnects); older ones are deleted when a job ends.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    public bool RunsWorker => Role is "all" or "worker";

    public string[] QueueList(IEnumerable<string> known) =>
        string.IsNullOrWhiteSpace(Queues) ? [.. known] : Queues.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
