using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Identity;

/// <summary>A physical location of an organization (a studio, a lot, a store).</summary>
public sealed class Site
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string Name { get; set; }
    public string? Timezone { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.ToTable("sites");
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Timezone).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.OrgId, s.Name }).IsUnique();
    }
}
