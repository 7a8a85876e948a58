using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;

namespace Scanport.Surfaces.Vehicle360;

/// <summary>A vehicle of an organization, known by its VIN and/or its stock number.</summary>
public sealed class Vehicle
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public string? Vin { get; set; }
    public string? Stock { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class SessionModes
{
    public const string Studio360 = "studio360";
    public const string Walk360 = "walk360";
    public const string Stills = "stills";

    public static bool IsValid(string? mode) => mode is Studio360 or Walk360 or Stills;
}

public static class SessionStatus
{
    public const string Active = "active";
    public const string Complete = "complete";
    public const string Abandoned = "abandoned";
    public const string Failed = "failed";

    public static bool IsValid(string? status) => status is Active or Complete or Abandoned or Failed;

    /// <summary>A session only ever leaves <c>active</c>, for one of the three ends.</summary>
    public static bool CanMove(string from, string to) => from == Active && to is Complete or Abandoned or Failed;
}

/// <summary>One capture of one vehicle at one site, by a user (the operator) or a device.</summary>
public sealed class CaptureSession
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public Guid SiteId { get; set; }
    public Guid VehicleId { get; set; }
    public required string Mode { get; set; }
    /// <summary>The client's shot list, kept as the JSON it sent.</summary>
    public string? ShotListJson { get; set; }
    public string Status { get; set; } = SessionStatus.Active;
    public Guid? OperatorId { get; set; }
    public Guid? DeviceId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>How many images were presigned into it: the next image's slot.</summary>
    public int ImageSlots { get; set; }
}

public static class ImageStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Processed = "processed";
    public const string Failed = "failed";
    public const string Published = "published";

    public static bool IsValid(string? status) => status is Pending or Processing or Processed or Failed or Published;
}

/// <summary>A photo of a session: recorded at presign (pending), processed once its object lands.</summary>
public sealed class VehicleImage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public Guid SiteId { get; set; }
    public Guid SessionId { get; set; }
    public Guid VehicleId { get; set; }
    public required string StorageKey { get; set; }
    public required string ContentType { get; set; }
    /// <summary>Lower-case hex SHA-256 the client announced; the stored body must match it.</summary>
    public required string ContentSha256 { get; set; }
    public string? FileName { get; set; }
    /// <summary>Upload order within the session, from 0.</summary>
    public int Slot { get; set; }
    public int? AngleDeg { get; set; }
    public string? ShotName { get; set; }
    public string Status { get; set; } = ImageStatus.Pending;
    public string? FailureReason { get; set; }
    public const int FailureReasonLength = 1000;
    public long? Size { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string? ExifJson { get; set; }
    public string? QcJson { get; set; }
    public string? ThumbKeysJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UploadedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public Guid? PublishedBy { get; set; }
}

/// <summary>A telemetry or audit event sent to <c>POST /v1/events</c> (or recorded by the platform), with who and when.</summary>
public sealed class AuditEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }
    public required string EntityType { get; set; }
    public Guid EntityId { get; set; }
    public required string Type { get; set; }
    public string? Message { get; set; }
    public string? MetaJson { get; set; }
    public Guid ActorId { get; set; }
    public required string ActorKind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class VehicleConfiguration : IEntityTypeConfiguration<Vehicle>
{
    public void Configure(EntityTypeBuilder<Vehicle> b)
    {
        b.ToTable("vehicles");
        b.Property(v => v.Vin).HasMaxLength(17);
        b.Property(v => v.Stock).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(v => new { v.OrgId, v.Vin }).IsUnique();
        b.HasIndex(v => new { v.OrgId, v.Stock });
    }
}

internal sealed class CaptureSessionConfiguration : IEntityTypeConfiguration<CaptureSession>
{
    public void Configure(EntityTypeBuilder<CaptureSession> b)
    {
        b.ToTable("capture_sessions");
        b.Property(s => s.Mode).HasMaxLength(16);
        b.Property(s => s.Status).HasMaxLength(16);
        b.Property(s => s.ImageSlots).IsConcurrencyToken();
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Vehicle>().WithMany().HasForeignKey(s => s.VehicleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(s => s.OperatorId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Device>().WithMany().HasForeignKey(s => s.DeviceId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(s => new { s.OrgId, s.SiteId, s.StartedAt });
        b.HasIndex(s => new { s.OrgId, s.VehicleId });
    }
}

internal sealed class VehicleImageConfiguration : IEntityTypeConfiguration<VehicleImage>
{
    public void Configure(EntityTypeBuilder<VehicleImage> b)
    {
        b.ToTable("vehicle_images");
        b.Property(i => i.StorageKey).HasMaxLength(512);
        b.Property(i => i.ContentType).HasMaxLength(32);
        b.Property(i => i.ContentSha256).HasMaxLength(64);
        b.Property(i => i.FileName).HasMaxLength(255);
        b.Property(i => i.ShotName).HasMaxLength(64);
        b.Property(i => i.Status).HasMaxLength(16);
        b.Property(i => i.FailureReason).HasMaxLength(VehicleImage.FailureReasonLength);
        b.HasOne<CaptureSession>().WithMany().HasForeignKey(i => i.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => i.StorageKey).IsUnique();
        b.HasIndex(i => new { i.SessionId, i.Slot });
        b.HasIndex(i => i.OrgId);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.Property(e => e.EntityType).HasMaxLength(16);
        b.Property(e => e.Type).HasMaxLength(32);
        b.Property(e => e.Message).HasMaxLength(2000);
        b.Property(e => e.ActorKind).HasMaxLength(16);
        b.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.OrgId, e.EntityId, e.CreatedAt });
        b.HasIndex(e => new { e.OrgId, e.CreatedAt });
    }
}
