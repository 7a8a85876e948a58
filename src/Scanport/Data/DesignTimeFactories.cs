using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Scanport.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteScanportDb>
{
    public SqliteScanportDb CreateDbContext(string[] args)
    {
        SystemSqlite.Use();
        return new(new DbContextOptionsBuilder<SqliteScanportDb>()
            .UseSqlite("Data Source=design.db").UseSnakeCaseNamingConvention().Options);
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresScanportDb>
{
    public PostgresScanportDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresScanportDb>()
            .UseNpgsql("Host=localhost;Database=scanport_design").UseSnakeCaseNamingConvention().Options);
}
