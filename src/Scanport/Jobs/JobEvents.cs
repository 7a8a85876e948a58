using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Jobs;

/// <summary>
/// One event of a job as Jobs keeps it: numbered in the order it happened, so that a reader that went away (a WebSocket
/// that reconnects) resumes after the last id it saw. Kept for <see cref="JobsOptions.EventRetention"/>.
/// </summary>
public sealed class StoredJobEvent
{
    public long Id { get; set; }
    public Guid JobId { get; set; }
    public Guid OrgId { get; set; }
    /// <summary>The job's subject, which readers follow (for example a project's jobs).</summary>
    public string? Subject { get; set; }
    /// <summary><c>job_started</c>, <c>job_progress</c>, <c>job_completed</c>, <c>job_failed</c> or <c>job_cancelled</c>.</summary>
    public required string Type { get; set; }
    public int? Progress { get; set; }
    public string? Stage { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The stored events of jobs, by subject: what a surface replays to its live clients.</summary>
public sealed class JobEvents(ScanportDb db, IOptions<JobsOptions> options, TimeProvider clock)
{
    /// <summary>The subject's events after <paramref name="afterId"/>, oldest first, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<StoredJobEvent>> ReadAfterAsync(string subject, long afterId, int take, CancellationToken ct) =>
        await db.Set<StoredJobEvent>().AsNoTracking().Where(e => e.Subject == subject && e.Id > afterId)
            .OrderBy(e => e.Id).Take(take).ToListAsync(ct);

    /// <summary>The id of the subject's latest event, 0 when it has none.</summary>
    public async Task<long> LatestIdAsync(string subject, CancellationToken ct) =>
        await db.Set<StoredJobEvent>().Where(e => e.Subject == subject).MaxAsync(e => (long?)e.Id, ct) ?? 0;

    internal async Task<StoredJobEvent> AppendAsync(Job job, string type, int? progress, string? stage, string? error, CancellationToken ct)
    {
        var stored = new StoredJobEvent
        {
            JobId = job.Id,
            OrgId = job.OrgId,
            Subject = job.Subject,
            Type = type,
            Progress = progress,
            Stage = stage,
            Error = error?[..Math.Min(error.Length, 4000)],
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(stored);
        await db.SaveChangesAsync(ct);
        return stored;
    }

    /// <summary>Deletes the events past their retention (run when a job ends, so the table stays bounded by the work done).</summary>
    internal Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - options.Value.EventRetention;
        return db.Set<StoredJobEvent>().Where(e => e.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}

internal sealed class StoredJobEventConfiguration : IEntityTypeConfiguration<StoredJobEvent>
{
    public void Configure(EntityTypeBuilder<StoredJobEvent> b)
    {
        b.ToTable("job_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedOnAdd();
        b.Property(e => e.Subject).HasMaxLength(200);
        b.Property(e => e.Type).HasMaxLength(32);
        b.Property(e => e.Stage).HasMaxLength(64);
        b.Property(e => e.Error).HasMaxLength(4000);
        b.HasIndex(e => new { e.Subject, e.Id });
        b.HasIndex(e => e.CreatedAt);
        b.HasOne<Job>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
