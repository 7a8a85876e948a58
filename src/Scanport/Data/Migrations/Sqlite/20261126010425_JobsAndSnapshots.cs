using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    queue = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    progress = table.Column<int>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    max_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    result = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    logs = table.Column<string>(type: "TEXT", nullable: false),
                    cancel_requested = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: true),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    heartbeat_at = table.Column<long>(type: "INTEGER", nullable: true)
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
                    id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true),
                    location_source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    utm_zone = table.Column<int>(type: "INTEGER", nullable: false),
                    utm_hemisphere = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    start_capture_at = table.Column<long>(type: "INTEGER", nullable: true),
                    end_capture_at = table.Column<long>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    failure_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    laz_s3key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    las_version = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    point_format = table.Column<int>(type: "INTEGER", nullable: true),
                    point_count = table.Column<long>(type: "INTEGER", nullable: true),
                    compressed = table.Column<bool>(type: "INTEGER", nullable: true),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    min_z = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    max_z = table.Column<double>(type: "REAL", nullable: true),
                    crs_epsg = table.Column<int>(type: "INTEGER", nullable: true),
                    crs_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    crs_units = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
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
