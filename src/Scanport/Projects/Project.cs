using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;

namespace Scanport.Projects;

/// <summary>
/// The organization's container that every surface attaches its work to (snapshots, reconstructions,
/// models). One row, presented in each surface's own id format: the platform shows <see cref="Id"/>
/// (a UUID), integer-id surfaces show <see cref="Number"/>, and ObjectId surfaces derive theirs from it
/// (see <see cref="ProjectIds"/>).
/// </summary>
public sealed class Project
{
    public long Number { get; set; }
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool CloudOnly { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ProjectMember> Members { get; set; } = [];
}

/// <summary>
/// A principal's membership in a project: a user, an API key or a device of the project's organization. Admins
/// see every project of their organization without one.
/// </summary>
public sealed class ProjectMember
{
    public Guid ProjectId { get; set; }
    public Guid PrincipalId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.ToTable("projects");
        b.HasKey(p => p.Number);
        b.Property(p => p.Number).ValueGeneratedOnAdd();
        b.HasAlternateKey(p => p.Id);
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Description).HasMaxLength(4000);
        b.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.OrgId, p.Number });
        b.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId).HasPrincipalKey(p => p.Id)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> b)
    {
        b.ToTable("project_members");
        b.HasKey(m => new { m.ProjectId, m.PrincipalId });
        // No foreign key: a member is a user, an API key or a device. Deleting a user removes their memberships
        // (ProjectMembership.ForgetAsync); revoked keys and devices keep theirs, which no token can use any more.
        b.HasIndex(m => m.PrincipalId);
    }
}
