using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Identity;

namespace Scanport.Data;

internal static class DatabaseInitializer
{
    /// <summary>Migrates (when configured), loads the signing keys and bootstraps the first organization.</summary>
    public static async Task InitializeScanportAsync(this WebApplication app, CancellationToken ct = default)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
            await MigrateAsync(db, ct);
        await app.Services.GetRequiredService<SigningKeyRing>().LoadOrCreateAsync(ct);
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(ct);
    }

    /// <summary>For <c>--migrate</c>: apply migrations and exit.</summary>
    public static async Task MigrateAsync(WebApplication app, CancellationToken ct = default)
    {
        using var scope = app.Services.CreateScope();
        await MigrateAsync(scope.ServiceProvider.GetRequiredService<ScanportDb>(), ct);
    }

    private static async Task MigrateAsync(ScanportDb db, CancellationToken ct)
    {
        if (db.IsSqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
    }
}
