using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class JobsAndSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "job",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    queue = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    progress = table.Column<int>(type: "integer", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    max_attempts = table.Column<int>(type: "integer", nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    payload = table.Column<string>(type: "text", nullable: false),
                    result = table.Column<string>(type: "text", nullable: true),
                    error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    logs = table.Column<string>(type: "text", nullable: false),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job", x => x.id);
                    table.ForeignKey(
                        name: "fk_job_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "snapshot",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: true),
                    longitude = table.Column<double>(type: "double precision", nullable: true),
                    location_source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    utm_zone = table.Column<int>(type: "integer", nullable: false),
                    utm_hemisphere = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    start_capture_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end_capture_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    failure_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    laz_s3key = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    las_version = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    point_format = table.Column<int>(type: "integer", nullable: true),
                    point_count = table.Column<long>(type: "bigint", nullable: true),
                    compressed = table.Column<bool>(type: "boolean", nullable: true),
                    min_x = table.Column<double>(type: "double precision", nullable: true),
                    min_y = table.Column<double>(type: "double precision", nullable: true),
                    min_z = table.Column<double>(type: "double precision", nullable: true),
                    max_x = table.Column<double>(type: "double precision", nullable: true),
                    max_y = table.Column<double>(type: "double precision", nullable: true),
                    max_z = table.Column<double>(type: "double precision", nullable: true),
                    crs_epsg = table.Column<int>(type: "integer", nullable: true),
                    crs_wkt = table.Column<string>(type: "text", nullable: true),
                    crs_units = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_snapshot", x => x.id);
                    table.ForeignKey(
                        name: "fk_snapshot_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_snapshot_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_job_org_id_subject",
                table: "job",
                columns: new[] { "org_id", "subject" });

            migrationBuilder.CreateIndex(
                name: "ix_job_status",
                table: "job",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_snapshot_org_id",
                table: "snapshot",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_snapshot_project_id_created_at",
                table: "snapshot",
                columns: new[] { "project_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job");

            migrationBuilder.DropTable(
                name: "snapshot");
        }
    }
}
