using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EmbeddedStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "multipart_upload",
                columns: table => new
                {
                    upload_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    bucket = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    initiated = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_multipart_upload", x => x.upload_id);
                });

            migrationBuilder.CreateTable(
                name: "objects",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    bucket = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    e_tag = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    last_modified = table.Column<long>(type: "INTEGER", nullable: false),
                    blobs = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_objects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "upload_part",
                columns: table => new
                {
                    upload_id = table.Column<string>(type: "TEXT", nullable: false),
                    part_number = table.Column<int>(type: "INTEGER", nullable: false),
                    blob = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    e_tag = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    last_modified = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_upload_part", x => new { x.upload_id, x.part_number });
                    table.ForeignKey(
                        name: "fk_upload_part_multipart_upload_upload_id",
                        column: x => x.upload_id,
                        principalTable: "multipart_upload",
                        principalColumn: "upload_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_objects_bucket_key",
                table: "objects",
                columns: new[] { "bucket", "key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "objects");

            migrationBuilder.DropTable(
                name: "upload_part");

            migrationBuilder.DropTable(
                name: "multipart_upload");
        }
    }
}
