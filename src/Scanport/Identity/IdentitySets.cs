using Microsoft.EntityFrameworkCore;
using Scanport.Data;

namespace Scanport.Identity;

/// <summary>
/// Identity's tables, named on the context by this module rather than by Data, so that Data does not depend on the
/// modules that store rows in it (their configurations are found in the assembly). The table names were the context's
/// property names, so each configuration names its table, and the foreign keys whose generated name followed the
/// principal's property name keep that name with <c>HasConstraintName</c>: the schema is unchanged.
/// </summary>
public static class IdentitySets
{
    extension(ScanportDb db)
    {
        public DbSet<Organization> Organizations => db.Set<Organization>();
        public DbSet<Site> Sites => db.Set<Site>();
        public DbSet<User> Users => db.Set<User>();
        public DbSet<UserSite> UserSites => db.Set<UserSite>();
        public DbSet<ApiKey> ApiKeys => db.Set<ApiKey>();
        public DbSet<Device> Devices => db.Set<Device>();
        public DbSet<EnrollmentCode> EnrollmentCodes => db.Set<EnrollmentCode>();
        public DbSet<SigningKey> SigningKeys => db.Set<SigningKey>();
    }
}
