using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Reconstruction3D : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "recon_accounts",
                columns: table => new
                {
                    number = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    username = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    normalized_username = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recon_accounts", x => x.number);
                    table.ForeignKey(
                        name: "fk_recon_accounts_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recon_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recon_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_recon_events_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recon_jobs",
                columns: table => new
                {
                    number = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    job_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    job_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    parameters = table.Column<string>(type: "TEXT", nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recon_jobs", x => x.number);
                    table.ForeignKey(
                        name: "fk_recon_jobs_job_job_id",
                        column: x => x.job_id,
                        principalTable: "job",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_recon_jobs_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recon_projects",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    total_frames = table.Column<int>(type: "INTEGER", nullable: false),
                    processed_frames = table.Column<int>(type: "INTEGER", nullable: false),
                    reconstruction_quality = table.Column<double>(type: "REAL", nullable: false),
                    processing_time = table.Column<double>(type: "REAL", nullable: false),
                    frames_source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    video_key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    video_file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    video_size = table.Column<long>(type: "INTEGER", nullable: false),
                    video_info_json = table.Column<string>(type: "TEXT", nullable: true),
                    point_cloud_key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    mesh_key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    textured_mesh_key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    quality = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recon_projects", x => x.project_id);
                    table.ForeignKey(
                        name: "fk_recon_projects_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_recon_accounts_normalized_username",
                table: "recon_accounts",
                column: "normalized_username",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recon_accounts_user_id",
                table: "recon_accounts",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recon_events_project_id_id",
                table: "recon_events",
                columns: new[] { "project_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_recon_jobs_job_id",
                table: "recon_jobs",
                column: "job_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recon_jobs_project_id",
                table: "recon_jobs",
                column: "project_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recon_accounts");

            migrationBuilder.DropTable(
                name: "recon_events");

            migrationBuilder.DropTable(
                name: "recon_jobs");

            migrationBuilder.DropTable(
                name: "recon_projects");
        }
    }
}
