using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Data;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// A resumable upload in progress (the tus protocol): its bytes are the parts of a multipart upload in the object store,
/// its offset is here, so whichever node takes the next chunk carries on where the last one stopped.
/// </summary>
public sealed class ReconUpload
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    /// <summary>The principal that started it (a user, an API key or a device); only it may carry it on.</summary>
    public Guid CreatedBy { get; set; }
    public required string FileName { get; set; }
    public long Length { get; set; }
    /// <summary>Bytes stored so far: always a whole number of parts, or <see cref="Length"/>.</summary>
    public long Offset { get; set; }
    public long PartSize { get; set; }
    public required string StoreKey { get; set; }
    public required string StoreUploadId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class ReconUploadConfiguration : IEntityTypeConfiguration<ReconUpload>
{
    public void Configure(EntityTypeBuilder<ReconUpload> b)
    {
        b.ToTable("recon_uploads");
        b.HasKey(u => u.Id);
        b.Property(u => u.FileName).HasMaxLength(255);
        b.Property(u => u.StoreKey).HasMaxLength(1024);
        b.Property(u => u.StoreUploadId).HasMaxLength(1024);
        b.HasIndex(u => u.ExpiresAt);
        b.HasOne<Project>().WithMany().HasForeignKey(u => u.ProjectId).HasPrincipalKey(p => p.Id).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Every ten minutes, drops the resumable uploads that expired unfinished, with the parts the store holds of them.</summary>
internal sealed class ReconUploadPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ReconUploadPruning> logger)
    : PeriodicPruning(TimeSpan.FromMinutes(10), clock, logger)
{
    protected override string What => "expired resumable uploads";

    protected override async Task RoundAsync(CancellationToken ct)
    {
        var dropped = await PruneAsync(ct);
        if (dropped > 0) Logger.LogInformation("Dropped {Uploads} expired resumable uploads", dropped);
    }

    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ScanportDb>();
        var now = Clock.GetUtcNow();
        var expired = await db.Set<ReconUpload>().AsNoTracking().Where(u => u.ExpiresAt <= now).OrderBy(u => u.ExpiresAt).Take(500).ToListAsync(ct);
        foreach (var upload in expired)
            await ResumableUploads.DropAsync(upload, db, services.GetRequiredService<ProjectFiles>(), services.GetRequiredService<IObjectStore>(), ct);
        return expired.Count;
    }
}
