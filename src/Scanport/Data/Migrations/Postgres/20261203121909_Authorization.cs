using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Authorization : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_project_members_users_user_id",
                table: "project_members");

            migrationBuilder.RenameColumn(
                name: "user_id",
                table: "project_members",
                newName: "principal_id");

            migrationBuilder.RenameIndex(
                name: "ix_project_members_user_id",
                table: "project_members",
                newName: "ix_project_members_principal_id");

            migrationBuilder.AddColumn<int>(
                name: "security_stamp",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "project_id",
                table: "scans",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "site_id",
                table: "scans",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_scans_project_id",
                table: "scans",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_scans_site_id",
                table: "scans",
                column: "site_id");

            migrationBuilder.AddForeignKey(
                name: "fk_scans_projects_project_id",
                table: "scans",
                column: "project_id",
                principalTable: "projects",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_scans_sites_site_id",
                table: "scans",
                column: "site_id",
                principalTable: "sites",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_scans_projects_project_id",
                table: "scans");

            migrationBuilder.DropForeignKey(
                name: "fk_scans_sites_site_id",
                table: "scans");

            migrationBuilder.DropIndex(
                name: "ix_scans_project_id",
                table: "scans");

            migrationBuilder.DropIndex(
                name: "ix_scans_site_id",
                table: "scans");

            migrationBuilder.DropColumn(
                name: "security_stamp",
                table: "users");

            migrationBuilder.DropColumn(
                name: "project_id",
                table: "scans");

            migrationBuilder.DropColumn(
                name: "site_id",
                table: "scans");

            migrationBuilder.RenameColumn(
                name: "principal_id",
                table: "project_members",
                newName: "user_id");

            migrationBuilder.RenameIndex(
                name: "ix_project_members_principal_id",
                table: "project_members",
                newName: "ix_project_members_user_id");

            migrationBuilder.AddForeignKey(
                name: "fk_project_members_users_user_id",
                table: "project_members",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
