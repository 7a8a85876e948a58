using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;

namespace Scanport.Jobs;

/// <summary>
/// A unit of background work. The row is the truth: Hangfire only carries the job id to a worker, and a job
/// still queued or running when the process stopped is queued again at start-up.
/// </summary>
public sealed class Job
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string Type { get; set; }
    public required string Queue { get; set; }
    public string Status { get; set; } = JobStatus.Queued;
    public int Progress { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 3;
    /// <summary>What the job works on, for lookups (for example <c>snapshot:{id}</c>).</summary>
    public string? Subject { get; set; }
    /// <summary>The subject of a job queued as its subject's only active one (<see cref="JobQueue.EnqueueExclusiveAsync"/>); a unique index keeps it so.</summary>
    public string? ExclusiveSubject { get; set; }
    public string Payload { get; set; } = "{}";
    public string? Result { get; set; }
    public string? Error { get; set; }
    public string Logs { get; set; } = "";
    public bool CancelRequested { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>The W3C traceparent of what queued the job (a request, another job): its attempts' spans are that span's children.</summary>
    public string? TraceParent { get; set; }
}

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> b)
    {
        b.Property(j => j.Type).HasMaxLength(64);
        b.Property(j => j.Queue).HasMaxLength(32);
        b.Property(j => j.Status).HasMaxLength(16);
        b.Property(j => j.Subject).HasMaxLength(200);
        b.Property(j => j.Error).HasMaxLength(4000);
        b.Property(j => j.TraceParent).HasMaxLength(JobTraces.TraceParentLength);
        b.HasOne<Organization>().WithMany().HasForeignKey(j => j.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(j => new { j.OrgId, j.Subject });
        b.Property(j => j.ExclusiveSubject).HasMaxLength(200);
        // The database itself refuses a second active exclusive job of a subject, however the inserts race.
        b.HasIndex(j => j.ExclusiveSubject).IsUnique().HasFilter("exclusive_subject IS NOT NULL AND status IN ('queued', 'running')");
        b.HasIndex(j => j.Status);
    }
}
