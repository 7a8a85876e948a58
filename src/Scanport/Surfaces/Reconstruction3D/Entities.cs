using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Projects;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// A platform user as the reconstruction API presents them: an integer id and a username beside the shared account
/// (email, name, password, organization), which stays the one identity a person signs in with everywhere.
/// </summary>
public sealed class ReconAccount
{
    public long Number { get; set; }
    public Guid UserId { get; set; }
    public required string Username { get; set; }
    /// <summary>Upper-cased username, unique across the installation.</summary>
    public required string NormalizedUsername { get; set; }
    public bool IsActive { get; set; } = true;

    public static string Normalize(string username) => username.Trim().ToUpperInvariant();
}

/// <summary>What a reconstruction needs to know of a platform project: its video, frames, outputs and figures.</summary>
public sealed class ReconProject
{
    public Guid ProjectId { get; set; }
    public bool Archived { get; set; }
    public int TotalFrames { get; set; }
    public int ProcessedFrames { get; set; }
    public double ReconstructionQuality { get; set; }
    /// <summary>Seconds the last successful reconstruction took.</summary>
    public double ProcessingTime { get; set; }
    /// <summary><c>video</c> when the frames were extracted from the video, <c>images</c> when photos were uploaded.</summary>
    public string? FramesSource { get; set; }
    public string? VideoKey { get; set; }
    public string? VideoFileName { get; set; }
    public long VideoSize { get; set; }
    /// <summary>The upload's probe (<see cref="Scanport.Media.VideoInfo"/>) as JSON, so extraction need not probe again.</summary>
    public string? VideoInfoJson { get; set; }
    public string? PointCloudKey { get; set; }
    public string? MeshKey { get; set; }
    public string? TexturedMeshKey { get; set; }
    public string? Quality { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A job of a project, numbered for this API; status, progress, logs and errors live on the <see cref="Job"/>.</summary>
public sealed class ReconJob
{
    public long Number { get; set; }
    public Guid JobId { get; set; }
    public Guid ProjectId { get; set; }
    public required string JobType { get; set; }
    public string Parameters { get; set; } = "{}";
    public string? Stage { get; set; }
}

internal sealed class ReconAccountConfiguration : IEntityTypeConfiguration<ReconAccount>
{
    public void Configure(EntityTypeBuilder<ReconAccount> b)
    {
        b.ToTable("recon_accounts");
        b.HasKey(a => a.Number);
        b.Property(a => a.Number).ValueGeneratedOnAdd();
        b.HasIndex(a => a.UserId).IsUnique();
        b.Property(a => a.Username).HasMaxLength(64);
        b.Property(a => a.NormalizedUsername).HasMaxLength(64);
        b.HasIndex(a => a.NormalizedUsername).IsUnique();
        b.HasOne<User>().WithOne().HasForeignKey<ReconAccount>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReconProjectConfiguration : IEntityTypeConfiguration<ReconProject>
{
    public void Configure(EntityTypeBuilder<ReconProject> b)
    {
        b.ToTable("recon_projects");
        b.HasKey(p => p.ProjectId);
        b.Property(p => p.FramesSource).HasMaxLength(16);
        b.Property(p => p.VideoKey).HasMaxLength(1024);
        b.Property(p => p.VideoFileName).HasMaxLength(255);
        b.Property(p => p.PointCloudKey).HasMaxLength(1024);
        b.Property(p => p.MeshKey).HasMaxLength(1024);
        b.Property(p => p.TexturedMeshKey).HasMaxLength(1024);
        b.Property(p => p.Quality).HasMaxLength(16);
        b.HasOne<Project>().WithOne().HasForeignKey<ReconProject>(p => p.ProjectId).HasPrincipalKey<Project>(p => p.Id)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReconJobConfiguration : IEntityTypeConfiguration<ReconJob>
{
    public void Configure(EntityTypeBuilder<ReconJob> b)
    {
        b.ToTable("recon_jobs");
        b.HasKey(j => j.Number);
        b.Property(j => j.Number).ValueGeneratedOnAdd();
        b.HasIndex(j => j.JobId).IsUnique();
        b.HasIndex(j => j.ProjectId);
        b.Property(j => j.JobType).HasMaxLength(32);
        b.Property(j => j.Stage).HasMaxLength(64);
        b.HasOne<Job>().WithOne().HasForeignKey<ReconJob>(j => j.JobId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Project>().WithMany().HasForeignKey(j => j.ProjectId).HasPrincipalKey(p => p.Id).OnDelete(DeleteBehavior.Cascade);
    }
}
