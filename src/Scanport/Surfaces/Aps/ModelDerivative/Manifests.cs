using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Data;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// The manifest of one source design of an organization: what was asked (output types, region, zip root), where its
/// translation stands, and which generation of derivatives is current. A forced re-translation starts a new generation,
/// so a job of an older one finds itself replaced and stores nothing.
/// </summary>
public sealed class DerivativeManifest
{
    public Guid OrgId { get; set; }

    /// <summary>The source's OSS object id (<c>urn:adsk.objects:os.object:bucket/key</c>): the URN decoded, so every spelling of it finds this row.</summary>
    public required string SourceId { get; set; }

    /// <summary>The URN as the job was posted (answered back in the manifest, as APS does).</summary>
    public required string Urn { get; set; }

    /// <summary>Names this translation's stored derivatives and their guids; new on every (re-)translation.</summary>
    public Guid Generation { get; set; }

    /// <summary>The job translating this generation; a job that is not it is stale.</summary>
    public Guid? JobId { get; set; }

    /// <summary><c>pending</c>, <c>inprogress</c>, <c>success</c>, <c>failed</c> or <c>timeout</c>.</summary>
    public required string Status { get; set; }

    /// <summary>0–100.</summary>
    public int Progress { get; set; }

    /// <summary>The output types asked for, comma separated (<c>svf2</c>, <c>svf</c>, <c>thumbnail</c>).</summary>
    public required string OutputTypes { get; set; }

    public required string Region { get; set; }
    public bool Compressed { get; set; }
    public string? RootFilename { get; set; }
    public string? Workflow { get; set; }

    /// <summary><c>misc.workflowAttribute</c> as JSON, handed back to webhooks.</summary>
    public string? WorkflowAttribute { get; set; }

    /// <summary>Why the translation failed, for the manifest's messages.</summary>
    public string? Failure { get; set; }

    /// <summary>The name of the translated file (the object key's last part, or the zip's root file).</summary>
    public required string SourceName { get; set; }

    /// <summary>Sizes of the thumbnails stored, comma separated (<c>100,200,400</c>); empty before success.</summary>
    public string Thumbnails { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class DerivativeManifestTable : IEntityTypeConfiguration<DerivativeManifest>
{
    public void Configure(EntityTypeBuilder<DerivativeManifest> b)
    {
        b.ToTable("md_manifests");
        b.HasKey(x => new { x.OrgId, x.SourceId });
        b.Property(x => x.SourceId).HasMaxLength(1200);
        b.Property(x => x.Urn).HasMaxLength(1700);
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.OutputTypes).HasMaxLength(64);
        b.Property(x => x.Region).HasMaxLength(8);
        b.Property(x => x.RootFilename).HasMaxLength(1024);
        b.Property(x => x.Workflow).HasMaxLength(256);
        b.Property(x => x.WorkflowAttribute).HasMaxLength(8192);
        b.Property(x => x.Failure).HasMaxLength(4096);
        b.Property(x => x.SourceName).HasMaxLength(1024);
        b.Property(x => x.Thumbnails).HasMaxLength(32);
        b.HasIndex(x => x.JobId);
    }
}

/// <summary>Model Derivative's table, named on the context by this surface.</summary>
public static class ModelDerivativeSets
{
    extension(ScanportDb db)
    {
        public DbSet<DerivativeManifest> DerivativeManifests => db.Set<DerivativeManifest>();
    }
}
