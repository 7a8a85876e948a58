using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ApsModelDerivative : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "md_manifests",
                columns: table => new
                {
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    source_id = table.Column<string>(type: "TEXT", maxLength: 1200, nullable: false),
                    urn = table.Column<string>(type: "TEXT", maxLength: 1700, nullable: false),
                    generation = table.Column<Guid>(type: "TEXT", nullable: false),
                    job_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    progress = table.Column<int>(type: "INTEGER", nullable: false),
                    output_types = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    region = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    compressed = table.Column<bool>(type: "INTEGER", nullable: false),
                    root_filename = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    workflow = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    workflow_attribute = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    failure = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    source_name = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    thumbnails = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_md_manifests", x => new { x.org_id, x.source_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_md_manifests_job_id",
                table: "md_manifests",
                column: "job_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "md_manifests");
        }
    }
}
