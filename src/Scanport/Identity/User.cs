using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Identity;

/// <summary>A person in an organization. Users who sign in through an identity provider have no password.</summary>
public sealed class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string Email { get; set; }
    /// <summary>Upper-cased email, for case-insensitive lookups on both databases.</summary>
    public required string NormalizedEmail { get; set; }
    public string? Name { get; set; }
    public required string Role { get; set; }
    public string? PasswordHash { get; set; }
    /// <summary>The subject of a linked identity-provider account, as <c>issuer|sub</c>.</summary>
    public string? ExternalSubject { get; set; }
    public List<UserSite> Sites { get; set; } = [];
    /// <summary>
    /// Moves on whenever what a token says of the user stops being true (password, role, sites, email): tokens carry
    /// the stamp they were issued under, and one with another stamp is refused.
    /// </summary>
    public int SecurityStamp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    /// <summary>An organization's first admin (a tenant's, or the installation's at bootstrap).</summary>
    public static User FirstAdmin(Organization org, string email, DateTimeOffset now) => new()
    {
        OrgId = org.Id,
        Email = email.Trim(),
        NormalizedEmail = Normalize(email),
        Name = "Administrator",
        Role = Roles.Admin,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

/// <summary>Which sites a user may act on (the token's <c>site_ids</c>).</summary>
public sealed class UserSite
{
    public Guid UserId { get; set; }
    public Guid SiteId { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(u => u.Email).HasMaxLength(320);
        b.Property(u => u.NormalizedEmail).HasMaxLength(320);
        b.Property(u => u.Name).HasMaxLength(200);
        b.Property(u => u.Role).HasMaxLength(16);
        b.Property(u => u.ExternalSubject).HasMaxLength(512);
        b.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrgId).OnDelete(DeleteBehavior.Cascade);
        // An email is one account across the whole installation, so sign-in needs no organization.
        b.HasIndex(u => u.NormalizedEmail).IsUnique();
        b.HasIndex(u => u.ExternalSubject).IsUnique();
        b.HasMany(u => u.Sites).WithOne().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserSiteConfiguration : IEntityTypeConfiguration<UserSite>
{
    public void Configure(EntityTypeBuilder<UserSite> b)
    {
        b.ToTable("user_sites");
        b.HasKey(s => new { s.UserId, s.SiteId });
        b.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
