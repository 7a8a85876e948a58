using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Scanport.Data.Migrations.Postgres
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
                    number = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false)
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
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    api_key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    protected_secret = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    state = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    protected_verifier = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    redirect_uri = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    bucket_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<Guid>(type: "uuid", nullable: true),
                    policy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    number = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    bucket_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    object_key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    original_filename = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    urn = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    sha1 = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    uploaded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    translated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    callback_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_hook_registrations", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "apsi_secrets",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    protected_value = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apsi_secrets", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "apsi_user_tokens",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    protected_access_token = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: false),
                    protected_refresh_token = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    digest = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
