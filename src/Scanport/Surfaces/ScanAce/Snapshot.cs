using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.ScanAce;

/// <summary>A point-cloud snapshot uploaded by ScanAce into a project, and what ingestion read from its LAS/LAZ header.</summary>
public sealed class Snapshot
{
    /// <summary>A MongoDB-style ObjectId (24 hex), as the document's ids are.</summary>
    public string Id { get; set; } = NewObjectId();
    public Guid OrgId { get; set; }
    public Guid ProjectId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary><c>client</c> when the client gave the location, <c>computed</c> when ingestion derived it.</summary>
    public string? LocationSource { get; set; }
    public int UtmZone { get; set; }
    public required string UtmHemisphere { get; set; }
    public DateTimeOffset? StartCaptureAt { get; set; }
    public DateTimeOffset? EndCaptureAt { get; set; }
    public string Status { get; set; } = SnapshotStatus.Created;
    public string? FailureReason { get; set; }
    public const int FailureReasonLength = 1000;
    public string? LazS3Key { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string? LasVersion { get; set; }
    public int? PointFormat { get; set; }
    public long? PointCount { get; set; }
    public bool? Compressed { get; set; }
    public double? MinX { get; set; }
    public double? MinY { get; set; }
    public double? MinZ { get; set; }
    public double? MaxX { get; set; }
    public double? MaxY { get; set; }
    public double? MaxZ { get; set; }
    public int? CrsEpsg { get; set; }
    public string? CrsWkt { get; set; }
    public string? CrsUnits { get; set; }

    private static int _counter = RandomNumberGenerator.GetInt32(1 << 24);
    private static readonly byte[] ProcessRandom = RandomNumberGenerator.GetBytes(5);

    /// <summary>4 bytes of seconds, 5 random bytes per process, a 3-byte counter: the ObjectId recipe.</summary>
    public static string NewObjectId()
    {
        Span<byte> id = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(id, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        ProcessRandom.CopyTo(id[4..]);
        var c = Interlocked.Increment(ref _counter);
        (id[9], id[10], id[11]) = ((byte)(c >> 16), (byte)(c >> 8), (byte)c);
        return Convert.ToHexStringLower(id);
    }

    public static bool IsObjectId(string? id) => id is { Length: 24 } && id.All(char.IsAsciiHexDigitLower);
}

public static class SnapshotStatus
{
    public const string Created = "created";
    public const string Committed = "committed";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

internal sealed class SnapshotConfiguration : IEntityTypeConfiguration<Snapshot>
{
    public void Configure(EntityTypeBuilder<Snapshot> b)
    {
        b.Property(s => s.Id).HasMaxLength(24);
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Description).HasMaxLength(4000);
        b.Property(s => s.LocationSource).HasMaxLength(16);
        b.Property(s => s.UtmHemisphere).HasMaxLength(1);
        b.Property(s => s.Status).HasMaxLength(16);
        b.Property(s => s.FailureReason).HasMaxLength(Snapshot.FailureReasonLength);
        b.Property(s => s.LazS3Key).HasMaxLength(1024);
        b.Property(s => s.LasVersion).HasMaxLength(8);
        b.Property(s => s.CrsUnits).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).HasPrincipalKey(p => p.Id).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.ProjectId, s.CreatedAt });
    }
}
