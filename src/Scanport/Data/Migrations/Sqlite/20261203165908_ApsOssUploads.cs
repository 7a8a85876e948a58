using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ApsOssUploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "accessed_at",
                table: "oss_objects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "oss_buckets",
                type: "TEXT",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "region",
                table: "oss_buckets",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "oss_uploads",
                columns: table => new
                {
                    upload_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    bucket_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    object_key = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    store_upload_id = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    parts_issued = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_oss_uploads", x => x.upload_key);
                    table.ForeignKey(
                        name: "fk_oss_uploads_oss_buckets_bucket_key",
                        column: x => x.bucket_key,
                        principalTable: "oss_buckets",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_oss_uploads_bucket_key",
                table: "oss_uploads",
                column: "bucket_key");

            migrationBuilder.CreateIndex(
                name: "ix_oss_uploads_expires_at",
                table: "oss_uploads",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "oss_uploads");

            migrationBuilder.DropColumn(
                name: "accessed_at",
                table: "oss_objects");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "oss_buckets");

            migrationBuilder.DropColumn(
                name: "region",
                table: "oss_buckets");
        }
    }
}
