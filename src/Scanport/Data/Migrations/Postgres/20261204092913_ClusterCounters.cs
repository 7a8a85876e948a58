using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Postgres
{
    /// <summary>
    /// The counters every node shares, outside the EF model: rate limits (Scanport.Http.SharedLimitStore) and failed sign-ins
    /// (Scanport.Identity.SharedSignInTallies). UNLOGGED (counters need no write-ahead log, and a crash may forget them), no
    /// index but the key (so updates stay HOT), room on each page for that. SQLite has none: the embedded mode is one
    /// process and counts in it.
    /// </summary>
    public partial class ClusterCounters : Migration
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

                CREATE UNLOGGED TABLE sign_in_tallies (
                    key text COLLATE "C" NOT NULL,
                    lim integer NOT NULL,
                    failures integer NOT NULL,
                    pending integer NOT NULL,
                    window_start double precision NOT NULL,
                    locks integer NOT NULL,
                    locked_until double precision NOT NULL,
                    opened boolean NOT NULL,
                    expires_at double precision NOT NULL,
                    CONSTRAINT pk_sign_in_tallies PRIMARY KEY (key)
                ) WITH (fillfactor = 70);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE sign_in_tallies; DROP TABLE rate_limits;");
        }
    }
}
