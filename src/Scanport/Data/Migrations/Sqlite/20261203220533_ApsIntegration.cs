using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ApsIntegration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "apsi_accounts",
                columns: table => new
                {
                    number = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_accounts", x => x.number);
                    table.ForeignKey(
                        name: "fk_apsi_accounts_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "apsi_app_keys",
                columns: table => new
                {
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    api_key_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    protected_secret = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_app_keys", x => x.org_id);
                    table.ForeignKey(
                        name: "fk_apsi_app_keys_api_keys_api_key_id",
                        column: x => x.api_key_id,
                        principalTable: "api_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_apsi_app_keys_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "apsi_authorizations",
                columns: table => new
                {
                    state = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    protected_verifier = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    redirect_uri = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_authorizations", x => x.state);
                    table.ForeignKey(
                        name: "fk_apsi_authorizations_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "apsi_buckets",
                columns: table => new
                {
                    bucket_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    policy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    created = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_buckets", x => x.bucket_key);
                    table.ForeignKey(
                        name: "fk_apsi_buckets_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "apsi_files",
                columns: table => new
                {
                    number = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    bucket_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    object_key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    original_filename = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    urn = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    sha1 = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    status_at = table.Column<long>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    uploaded_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    uploaded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    translated_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_files", x => x.number);
                    table.ForeignKey(
                        name: "fk_apsi_files_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "apsi_hook_registrations",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    callback_url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    registered_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_hook_registrations", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "apsi_secrets",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    protected_value = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_secrets", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "apsi_user_tokens",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    protected_access_token = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    protected_refresh_token = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: true),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    scope = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_user_tokens", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_apsi_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "apsi_webhook_receipts",
                columns: table => new
                {
                    digest = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_webhook_receipts", x => x.digest);
                });

            migrationBuilder.CreateIndex(
                name: "ix_apsi_accounts_user_id",
                table: "apsi_accounts",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_apsi_app_keys_api_key_id",
                table: "apsi_app_keys",
                column: "api_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_apsi_authorizations_user_id",
                table: "apsi_authorizations",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_apsi_buckets_org_id",
                table: "apsi_buckets",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_apsi_buckets_project_id",
                table: "apsi_buckets",
                column: "project_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_apsi_files_bucket_key_object_key",
                table: "apsi_files",
                columns: new[] { "bucket_key", "object_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_apsi_files_project_id",
                table: "apsi_files",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_apsi_files_urn",
                table: "apsi_files",
                column: "urn");

            migrationBuilder.CreateIndex(
                name: "ix_apsi_webhook_receipts_received_at",
                table: "apsi_webhook_receipts",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "apsi_accounts");

            migrationBuilder.DropTable(
                name: "apsi_app_keys");

            migrationBuilder.DropTable(
                name: "apsi_authorizations");

            migrationBuilder.DropTable(
                name: "apsi_buckets");

            migrationBuilder.DropTable(
                name: "apsi_files");

            migrationBuilder.DropTable(
                name: "apsi_hook_registrations");

            migrationBuilder.DropTable(
                name: "apsi_secrets");

            migrationBuilder.DropTable(
                name: "apsi_user_tokens");

            migrationBuilder.DropTable(
                name: "apsi_webhook_receipts");
        }
    }
}
