using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ApsWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "aps_webhook_tokens",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_aps_webhook_tokens", x => x.owner_id);
                    table.ForeignKey(
                        name: "fk_aps_webhook_tokens_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "aps_webhooks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    creator_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    system = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(64)", maxLength: 64, nullable: false),
                    workflow = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    callback_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    tenant = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    hub_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    project_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    hook_attribute = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    filter = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    token = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    auto_reactivate_hook = table.Column<bool>(type: "boolean", nullable: false),
                    hook_expiry = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    callback_with_event_payload_only = table.Column<bool>(type: "boolean", nullable: false),
                    region = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failed_events = table.Column<int>(type: "integer", nullable: false),
                    inactive_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_reactivations = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_aps_webhooks", x => x.id);
                    table.ForeignKey(
                        name: "fk_aps_webhooks_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_aps_webhook_tokens_org_id",
                table: "aps_webhook_tokens",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_aps_webhooks_org_id_region_system_event_workflow_callback_u",
                table: "aps_webhooks",
                columns: new[] { "org_id", "region", "system", "event", "workflow", "callback_url" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_aps_webhooks_org_id_system_event_workflow",
                table: "aps_webhooks",
                columns: new[] { "org_id", "system", "event", "workflow" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "aps_webhook_tokens");

            migrationBuilder.DropTable(
                name: "aps_webhooks");
        }
    }
}
