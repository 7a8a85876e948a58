using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Postgres
{
    /// <summary>
    /// The rate-limit counters every node shares (Scanport.Http.SharedLimitStore), outside the EF model: UNLOGGED (counters
    /// need no write-ahead log, and a crash may forget them), no index but the key (so updates stay HOT), room on each page
    /// for that. SQLite has none: the embedded mode is one process and counts in it.
    /// </summary>
    public partial class RateLimitCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE UNLOGGED TABLE rate_limits (
                    key text COLLATE "C" NOT NULL,
                    level double precision NOT NULL,
                    taken integer NOT NULL,
                    stamp double precision NOT NULL,
                    expires_at double precision NOT NULL,
                    CONSTRAINT pk_rate_limits PRIMARY KEY (key)
                ) WITH (fillfactor = 70);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE rate_limits;");
        }
    }
}
