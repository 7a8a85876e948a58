using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Scanport.Data;

internal static class DatabaseMigrations
{
    /// <summary>The first start-up step: brings the schema up to date when <c>Database:MigrateOnStartup</c> says so.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
            await MigrateAsync(app, ct);
    }

    /// <summary>For <c>--migrate</c>: apply migrations and exit.</summary>
    public static async Task MigrateAsync(WebApplication app, CancellationToken ct = default)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        if (db.IsSqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
    }
}
