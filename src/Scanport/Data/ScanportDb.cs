using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Scanport.Data;

/// <summary>
/// The one unit of work. Each database has its own subclass only so that each keeps its own migrations
/// (see <see cref="SqliteScanportDb"/> and <see cref="PostgresScanportDb"/>); code depends on this type.
/// </summary>
public abstract class ScanportDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Data protection's key ring, kept here on PostgreSQL (see <see cref="DataProtectionKeyConfiguration"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>True on SQLite, whose writers are serialized by the database itself.</summary>
    public abstract bool IsSqlite { get; }

    /// <summary>Every module's entity configurations, found in the assembly: the context names no module.</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ScanportDb).Assembly);
        foreach (var property in BytewiseOrder.TakeMarked(modelBuilder.Model)) UseBytewiseOrder(property);
    }

    /// <summary>Makes a column marked <see cref="BytewiseOrder.SortsBytewise"/> compare its bytes.</summary>
    protected internal abstract void UseBytewiseOrder(IMutableProperty property);
}

/// <summary>The embedded mode's database: one SQLite file in the data directory, in WAL mode.</summary>
public sealed class SqliteScanportDb(DbContextOptions<SqliteScanportDb> options) : ScanportDb(options)
{
    public override bool IsSqlite => true;

    // SQLite's default collation (BINARY) already compares bytes.
    protected internal override void UseBytewiseOrder(IMutableProperty property)
    {
    }

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

    protected internal override void UseBytewiseOrder(IMutableProperty property) => property.SetCollation("C");
}
