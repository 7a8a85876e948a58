using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Scanport.Data;

internal static class DataModule
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScanportOptions>().Bind(configuration.GetSection(ScanportOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        // Before anything writes there: the database, keys and objects are the node's secrets.
        var dataDir = DataDirectory.Prepare(configuration[$"{ScanportOptions.Section}:DataDir"] ?? new ScanportOptions().DataDir);
        var db = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        if (db.Provider == "postgres")
        {
            var connectionString = db.ConnectionString
                ?? throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                    ["Database:ConnectionString is required for the postgres provider."]);
            services.AddDbContextPool<ScanportDb, PostgresScanportDb>(o => o
                .UseNpgsql(TunePostgres(connectionString))
                .UseSnakeCaseNamingConvention());
        }
        else
        {
            SystemSqlite.Use();
            var connectionString = db.ConnectionString ?? SqliteConnectionString(dataDir);
            services.AddDbContextPool<ScanportDb, SqliteScanportDb>(o => o
                .UseSqlite(connectionString)
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(new SqlitePragmas()));
        }
        // Keys for ASP.NET Core's data protection: shared by every node through the database in production, with the
        // rest of the node's state in the embedded mode.
        // The application name, not each node's install path, isolates the key ring's purposes in a cluster.
        var protection = services.AddDataProtection();
        if (db.Provider == "postgres") protection.SetApplicationName("Scanport").PersistKeysToDbContext<ScanportDb>();
        else protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));
        services.AddSingleton<SqliteWriteGate>();
        services.AddHostedService<ScratchSweeper>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Defaults for the hot paths unless the connection string sets them: statements used often are prepared
    /// once per connection, and a pooled connection is not reset with DISCARD ALL (Scanport sets no session state).
    /// </summary>
    internal static string TunePostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    public static string SqliteConnectionString(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDir), "scanport.db"),
            Pooling = true,
            DefaultTimeout = 30,
            // The system SQLite leaves foreign keys off unless asked (a bundled build may have turned them on).
            ForeignKeys = true,
        }.ToString();
    }

    /// <summary>Per-connection settings that SQLite does not persist in the file.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            // WAL (set once, kept in the file by DatabaseMigrations) lets readers run beside the single
            // writer; NORMAL is crash-safe in WAL mode and spares an fsync per commit. SQLite's own busy
            // handler waits in short steps, where the driver's retry would sleep 150 ms.
            // Foreign keys on, whatever the connection string says: cascades are part of the model.
            command.CommandText = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
        }
    }
}
