using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Identity;

/// <summary>A capture device (phone, tablet, edge box) enrolled in an organization.</summary>
public sealed class Device
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    /// <summary>The one site it captures at, when its enrollment code named one; null: every site of its organization.</summary>
    public Guid? SiteId { get; set; }
    public required string Platform { get; set; }
    public string? Model { get; set; }
    public string? AppVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A one-time code an admin hands to a device so it may enroll. Only its hash is stored.</summary>
public sealed class EnrollmentCode
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required byte[] CodeHash { get; set; }
    public Guid? SiteId { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid? DeviceId { get; set; }

    /// <summary>What is stored of a code, and looked up: compared without dashes, spaces or case.</summary>
    public static byte[] HashOf(string code) =>
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray())));
}

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.ToTable("devices");
        b.Property(d => d.Platform).HasMaxLength(16);
        b.Property(d => d.Model).HasMaxLength(200);
        b.Property(d => d.AppVersion).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrgId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_devices_organizations_org_id");
        // A device bound to a site goes with it: it must never widen to the whole organization.
        b.HasOne<Site>().WithMany().HasForeignKey(d => d.SiteId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_devices_sites_site_id");
        b.HasIndex(d => d.OrgId);
    }
}

internal sealed class EnrollmentCodeConfiguration : IEntityTypeConfiguration<EnrollmentCode>
{
    public void Configure(EntityTypeBuilder<EnrollmentCode> b)
    {
        b.ToTable("enrollment_codes");
        b.Property(c => c.CodeHash).HasMaxLength(32);
        b.HasIndex(c => c.CodeHash).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrgId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_enrollment_codes_organizations_org_id");
        b.HasOne<Site>().WithMany().HasForeignKey(c => c.SiteId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_enrollment_codes_sites_site_id");
    }
}
