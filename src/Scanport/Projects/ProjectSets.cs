using Microsoft.EntityFrameworkCore;
using Scanport.Data;

namespace Scanport.Projects;

/// <summary>Projects' tables, named on the context by this module (see <see cref="Identity.IdentitySets"/>).</summary>
public static class ProjectSets
{
    extension(ScanportDb db)
    {
        public DbSet<Project> Projects => db.Set<Project>();
        public DbSet<ProjectMember> ProjectMembers => db.Set<ProjectMember>();
    }
}
