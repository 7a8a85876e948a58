using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scanport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
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
                name: "organizations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    open_enrollment = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_system = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organizations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    algorithm = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    private_key_pem = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signing_keys", x => x.id);
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

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    secret_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_keys_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    platform = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    app_version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_devices", x => x.id);
                    table.ForeignKey(
                        name: "fk_devices_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "projects",
                columns: table => new
                {
                    number = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    cloud_only = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.number);
                    table.UniqueConstraint("ak_projects_id", x => x.id);
                    table.ForeignKey(
                        name: "fk_projects_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    session_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    locked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    frame_count = table.Column<long>(type: "INTEGER", nullable: false),
                    valid_frames = table.Column<long>(type: "INTEGER", nullable: false),
                    frames_with_user = table.Column<long>(type: "INTEGER", nullable: false),
                    confidence_sum = table.Column<double>(type: "REAL", nullable: false),
                    stability_sum = table.Column<double>(type: "REAL", nullable: false),
                    latest_frame_number = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scans", x => x.id);
                    table.ForeignKey(
                        name: "fk_scans_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    timezone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sites", x => x.id);
                    table.ForeignKey(
                        name: "fk_sites_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    external_subject = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_users_organizations_org_id",
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

            migrationBuilder.CreateTable(
                name: "frames",
                columns: table => new
                {
                    scan_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    frame_number = table.Column<int>(type: "INTEGER", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_in_frame = table.Column<bool>(type: "INTEGER", nullable: false),
                    confidence = table.Column<double>(type: "REAL", nullable: false),
                    stability_score = table.Column<double>(type: "REAL", nullable: false),
                    iou = table.Column<double>(type: "REAL", nullable: true),
                    is_valid = table.Column<bool>(type: "INTEGER", nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_frames", x => new { x.scan_id, x.frame_number });
                    table.ForeignKey(
                        name: "fk_frames_scans_scan_id",
                        column: x => x.scan_id,
                        principalTable: "scans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "enrollment_codes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    org_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    code_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    site_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    used_at = table.Column<long>(type: "INTEGER", nullable: true),
                    device_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrollment_codes", x => x.id);
                    table.ForeignKey(
                        name: "fk_enrollment_codes_organizations_org_id",
                        column: x => x.org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_enrollment_codes_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_members",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    added_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_members", x => new { x.project_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_project_members_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_project_members_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_sites",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    site_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_sites", x => new { x.user_id, x.site_id });
                    table.ForeignKey(
                        name: "fk_user_sites_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_user_sites_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_org_id",
                table: "api_keys",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_devices_org_id",
                table: "devices",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_enrollment_codes_code_hash",
                table: "enrollment_codes",
                column: "code_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_enrollment_codes_org_id",
                table: "enrollment_codes",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_enrollment_codes_site_id",
                table: "enrollment_codes",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_job_org_id_subject",
                table: "job",
                columns: new[] { "org_id", "subject" });

            migrationBuilder.CreateIndex(
                name: "ix_job_status",
                table: "job",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_objects_bucket_key",
                table: "objects",
                columns: new[] { "bucket", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_organizations_name",
                table: "organizations",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_project_members_user_id",
                table: "project_members",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_org_id_number",
                table: "projects",
                columns: new[] { "org_id", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_scans_org_id_session_id",
                table: "scans",
                columns: new[] { "org_id", "session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sites_org_id_name",
                table: "sites",
                columns: new[] { "org_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_snapshot_org_id",
                table: "snapshot",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_snapshot_project_id_created_at",
                table: "snapshot",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_user_sites_site_id",
                table: "user_sites",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_users_external_subject",
                table: "users",
                column: "external_subject",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_normalized_email",
                table: "users",
                column: "normalized_email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_org_id",
                table: "users",
                column: "org_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "enrollment_codes");

            migrationBuilder.DropTable(
                name: "frames");

            migrationBuilder.DropTable(
                name: "job");

            migrationBuilder.DropTable(
                name: "objects");

            migrationBuilder.DropTable(
                name: "project_members");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "snapshot");

            migrationBuilder.DropTable(
                name: "upload_part");

            migrationBuilder.DropTable(
                name: "user_sites");

            migrationBuilder.DropTable(
                name: "scans");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "multipart_upload");

            migrationBuilder.DropTable(
                name: "sites");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "organizations");
        }
    }
}
