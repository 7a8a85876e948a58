using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Data;

namespace Scanport.Storage.Embedded;

/// <summary>
/// An object of the embedded store. Its bytes are one or more blob files (a multipart upload keeps its parts
/// as they were written, so completing it copies nothing); the row is what makes them visible, so a write
/// becomes visible whole, at the commit that points the row at its blobs.
/// </summary>
public sealed class StoredObject
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Bucket { get; set; }
    public required string Key { get; set; }
    public long Size { get; set; }
    public required string ETag { get; set; }
    public string? ContentType { get; set; }
    public DateTimeOffset LastModified { get; set; }
    /// <summary>The blob files in order, as <c>name:size</c> separated by <c>|</c>.</summary>
    public required string Blobs { get; set; }
}

/// <summary>A multipart upload in progress.</summary>
public sealed class MultipartUpload
{
    public required string UploadId { get; set; }
    public required string Bucket { get; set; }
    public required string Key { get; set; }
    public string? ContentType { get; set; }
    public DateTimeOffset Initiated { get; set; }
    public List<UploadPart> Parts { get; set; } = [];
}

public sealed class UploadPart
{
    public required string UploadId { get; set; }
    public int PartNumber { get; set; }
    public required string Blob { get; set; }
    public long Size { get; set; }
    public required string ETag { get; set; }
    public DateTimeOffset LastModified { get; set; }
}

internal sealed class StoredObjectConfiguration : IEntityTypeConfiguration<StoredObject>
{
    public void Configure(EntityTypeBuilder<StoredObject> b)
    {
        b.ToTable("objects");
        b.Property(o => o.Bucket).HasMaxLength(63);
        b.Property(o => o.Key).HasMaxLength(1024).SortsBytewise(); // listed in key order, as S3 lists them
        b.Property(o => o.ETag).HasMaxLength(80);
        b.Property(o => o.ContentType).HasMaxLength(255);
        b.HasIndex(o => new { o.Bucket, o.Key }).IsUnique();
    }
}

internal sealed class MultipartUploadConfiguration : IEntityTypeConfiguration<MultipartUpload>
{
    public void Configure(EntityTypeBuilder<MultipartUpload> b)
    {
        b.HasKey(u => u.UploadId);
        b.Property(u => u.UploadId).HasMaxLength(64);
        b.Property(u => u.Bucket).HasMaxLength(63);
        b.Property(u => u.Key).HasMaxLength(1024);
        b.Property(u => u.ContentType).HasMaxLength(255);
        b.HasMany(u => u.Parts).WithOne().HasForeignKey(p => p.UploadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UploadPartConfiguration : IEntityTypeConfiguration<UploadPart>
{
    public void Configure(EntityTypeBuilder<UploadPart> b)
    {
        b.HasKey(p => new { p.UploadId, p.PartNumber });
        b.Property(p => p.Blob).HasMaxLength(64);
        b.Property(p => p.ETag).HasMaxLength(80);
    }
}
