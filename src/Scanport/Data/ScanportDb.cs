using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Data;

/// <summary>
/// The one unit of work. Each database has its own subclass only so that each keeps its own migrations
/// (see <see cref="SqliteScanportDb"/> and <see cref="PostgresScanportDb"/>); code depends on this type.
/// </summary>
public abstract class ScanportDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserSite> UserSites => Set<UserSite>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<EnrollmentCode> EnrollmentCodes => Set<EnrollmentCode>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();

    /// <summary>True on SQLite, whose writers are serialized by the database itself.</summary>
    public abstract bool IsSqlite { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ScanportDb).Assembly);
}

/// <summary>The embedded mode's database: one SQLite file in the data directory, in WAL mode.</summary>
public sealed class SqliteScanportDb(DbContextOptions<SqliteScanportDb> options) : ScanportDb(options)
{
    public override bool IsSqlite => true;

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no date type: store UTC instants as sortable integers so ordering and ranges run in SQL.
        builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>The production database.</summary>
public sealed class PostgresScanportDb(DbContextOptions<PostgresScanportDb> options) : ScanportDb(options)
{
    public override bool IsSqlite => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Object keys sort byte-wise, as S3 lists them, whatever the database's locale.
        modelBuilder.Entity<Storage.Embedded.StoredObject>().Property(o => o.Key).UseCollation("C");
    }
}
