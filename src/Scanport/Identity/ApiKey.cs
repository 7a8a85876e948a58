using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Identity;

/// <summary>A machine credential. Only the SHA-256 of its secret is stored; the secret is shown once.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public required byte[] SecretHash { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Where the APS cloud's authorization-code flow may send a user back to, for this key as an OAuth client.</summary>
    public List<string> RedirectUris { get; set; } = [];
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.Role).HasMaxLength(16);
        b.Property(k => k.SecretHash).HasMaxLength(32);
        b.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrgId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_api_keys_organizations_org_id");
        b.HasIndex(k => k.OrgId);
    }
}
