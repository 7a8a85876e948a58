using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// One body scan. Besides its lifecycle it keeps running aggregates of its frames, updated in the same
/// transaction as each frame, so its status costs the same at ten frames as at a million.
/// </summary>
public sealed class Scan
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string SessionId { get; set; }
    public string Status { get; set; } = ScanStatus.Active;
    /// <summary>The principal (user, API key or device) that started it.</summary>
    public Guid? CreatedBy { get; set; }
    /// <summary>The platform project it belongs to, if any: its members see it.</summary>
    public Guid? ProjectId { get; set; }
    /// <summary>The site it was taken at, if any: whoever acts at the site sees it.</summary>
    public Guid? SiteId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? LockedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public long FrameCount { get; set; }
    public long ValidFrames { get; set; }
    public long FramesWithUser { get; set; }
    public double ConfidenceSum { get; set; }
    public double StabilitySum { get; set; }
    /// <summary>The frame most recently recorded (not the highest number), for <c>latestFrame</c>.</summary>
    public int? LatestFrameNumber { get; set; }
}

public static class ScanStatus
{
    public const string Active = "active";
    public const string Locked = "locked";
    public const string Completed = "completed";
}

/// <summary>One frame's quality measurements. Keyed by (scan, frame number): a number is recorded once.</summary>
public sealed class Frame
{
    public Guid ScanId { get; set; }
    public int FrameNumber { get; set; }
    public Guid Id { get; set; }
    public bool UserInFrame { get; set; }
    public double Confidence { get; set; }
    public double StabilityScore { get; set; }
    public double? Iou { get; set; }
    public bool IsValid { get; set; }
    public DateTimeOffset Timestamp { get; set; }
}

internal sealed class ScanConfiguration : IEntityTypeConfiguration<Scan>
{
    public void Configure(EntityTypeBuilder<Scan> b)
    {
        b.ToTable("scans");
        b.Property(s => s.SessionId).HasMaxLength(200);
        b.Property(s => s.Status).HasMaxLength(16);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.OrgId, s.SessionId });
        // A scan goes with its project; a deleted site leaves its scans to their creators and admins.
        b.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).HasPrincipalKey(p => p.Id).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class FrameConfiguration : IEntityTypeConfiguration<Frame>
{
    public void Configure(EntityTypeBuilder<Frame> b)
    {
        b.ToTable("frames");
        b.HasKey(f => new { f.ScanId, f.FrameNumber });
        // Named as when the context had a Scans set, so the schema is unchanged.
        b.HasOne<Scan>().WithMany().HasForeignKey(f => f.ScanId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_frames_scans_scan_id");
    }
}
