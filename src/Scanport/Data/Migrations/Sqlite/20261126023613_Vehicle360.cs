using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Vehicle360 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "site_id",
                table: "devices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    entity_type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    entity_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    meta_json = table.Column<string>(type: "TEXT", nullable: true),
                    actor_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    actor_kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_audit_events_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "vehicles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    vin = table.Column<string>(type: "TEXT", maxLength: 17, nullable: true),
                    stock = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vehicles", x => x.id);
                    table.ForeignKey(
                        name: "fk_vehicles_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "capture_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    site_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    vehicle_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    shot_list_json = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    operator_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    device_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    image_slots = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_capture_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_capture_sessions_devices_device_id",
                        column: x => x.device_id,
                        principalTable: "devices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_capture_sessions_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_capture_sessions_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_capture_sessions_users_operator_id",
                        column: x => x.operator_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_capture_sessions_vehicle_vehicle_id",
                        column: x => x.vehicle_id,
                        principalTable: "vehicles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "vehicle_images",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    site_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    session_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    vehicle_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    storage_key = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    content_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    slot = table.Column<int>(type: "INTEGER", nullable: false),
                    angle_deg = table.Column<int>(type: "INTEGER", nullable: true),
                    shot_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    failure_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    size = table.Column<long>(type: "INTEGER", nullable: true),
                    width = table.Column<int>(type: "INTEGER", nullable: true),
                    height = table.Column<int>(type: "INTEGER", nullable: true),
                    exif_json = table.Column<string>(type: "TEXT", nullable: true),
                    qc_json = table.Column<string>(type: "TEXT", nullable: true),
                    thumb_keys_json = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    uploaded_at = table.Column<long>(type: "INTEGER", nullable: true),
                    processed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    published_at = table.Column<long>(type: "INTEGER", nullable: true),
                    published_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vehicle_images", x => x.id);
                    table.ForeignKey(
                        name: "fk_vehicle_images_capture_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "capture_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_devices_site_id",
                table: "devices",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_org_id_created_at",
                table: "audit_events",
                columns: new[] { "org_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_org_id_entity_id_created_at",
                table: "audit_events",
                columns: new[] { "org_id", "entity_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_capture_sessions_device_id",
                table: "capture_sessions",
                column: "device_id");

            migrationBuilder.CreateIndex(
                name: "ix_capture_sessions_operator_id",
                table: "capture_sessions",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_capture_sessions_org_id_site_id_started_at",
                table: "capture_sessions",
                columns: new[] { "org_id", "site_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_capture_sessions_org_id_vehicle_id",
                table: "capture_sessions",
                columns: new[] { "org_id", "vehicle_id" });

            migrationBuilder.CreateIndex(
                name: "ix_capture_sessions_site_id",
                table: "capture_sessions",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_capture_sessions_vehicle_id",
                table: "capture_sessions",
                column: "vehicle_id");

            migrationBuilder.CreateIndex(
                name: "ix_vehicle_images_org_id",
                table: "vehicle_images",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_vehicle_images_session_id_slot",
                table: "vehicle_images",
                columns: new[] { "session_id", "slot" });

            migrationBuilder.CreateIndex(
                name: "ix_vehicle_images_storage_key",
                table: "vehicle_images",
                column: "storage_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_org_id_stock",
                table: "vehicles",
                columns: new[] { "org_id", "stock" });

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_org_id_vin",
                table: "vehicles",
                columns: new[] { "org_id", "vin" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_devices_sites_site_id",
                table: "devices",
                column: "site_id",
                principalTable: "sites",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_devices_sites_site_id",
                table: "devices");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "vehicle_images");

            migrationBuilder.DropTable(
                name: "capture_sessions");

            migrationBuilder.DropTable(
                name: "vehicles");

            migrationBuilder.DropIndex(
                name: "ix_devices_site_id",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "site_id",
                table: "devices");
        }
    }
}
