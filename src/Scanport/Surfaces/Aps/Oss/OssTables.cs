using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Data;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>
/// An OSS bucket: a key unique in the installation (as at APS), owned by one organization. Its objects are stored under the
/// organization's logical bucket of the same key (<see cref="Storage.TenantBuckets"/>).
/// </summary>
public sealed class OssBucket
{
    public required string Key { get; set; }
    public Guid OrgId { get; set; }

    /// <summary><c>transient</c> (objects kept 24 h), <c>temporary</c> (30 days) or <c>persistent</c>.</summary>
    public required string PolicyKey { get; set; }

    /// <summary>The principal that created it (APS's <c>bucketOwner</c> is the client id).</summary>
    public Guid CreatedBy { get; set; }

    /// <summary>APS's <c>bucketOwner</c>: the client id of the token that created it.</summary>
    public string Owner { get; set; } = "";

    /// <summary>The APS region it was created in (<c>US</c>, <c>EMEA</c>...): a label here, listed and filtered by.</summary>
    public string Region { get; set; } = "US";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An object of an OSS bucket, as APS describes it; its bytes are in the object store.</summary>
public sealed class OssObject
{
    public required string BucketKey { get; set; }
    public required string ObjectKey { get; set; }
    public long Size { get; set; }

    /// <summary>SHA-1 of the bytes, lowercase hex (APS's <c>sha1</c>).</summary>
    public required string Sha1 { get; set; }

    public string? ContentType { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }

    /// <summary>When a signed download URL was last given out for it (APS's <c>lastAccessedDate</c>).</summary>
    public DateTimeOffset? AccessedAt { get; set; }

    /// <summary>When the bucket's policy removes it (transient and temporary buckets); null for persistent ones.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

internal sealed class OssBucketTable : IEntityTypeConfiguration<OssBucket>
{
    public void Configure(EntityTypeBuilder<OssBucket> b)
    {
        b.ToTable("oss_buckets");
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(128).SortsBytewise(); // listed in key order
        b.Property(x => x.PolicyKey).HasMaxLength(16);
        b.Property(x => x.Owner).HasMaxLength(128);
        b.Property(x => x.Region).HasMaxLength(8);
        b.HasIndex(x => new { x.OrgId, x.Key });
    }
}

internal sealed class OssObjectTable : IEntityTypeConfiguration<OssObject>
{
    public void Configure(EntityTypeBuilder<OssObject> b)
    {
        b.ToTable("oss_objects");
        b.HasKey(x => new { x.BucketKey, x.ObjectKey });
        b.Property(x => x.BucketKey).HasMaxLength(128);
        b.Property(x => x.ObjectKey).HasMaxLength(1024).SortsBytewise(); // listed in key order, paged by key
        b.Property(x => x.Sha1).HasMaxLength(40);
        b.Property(x => x.ContentType).HasMaxLength(255);
        b.HasOne<OssBucket>().WithMany().HasForeignKey(x => x.BucketKey).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.ExpiresAt);
    }
}

/// <summary>
/// A signed S3 upload in progress: the store's multipart upload behind an <c>uploadKey</c>, which is random (unguessable)
/// and good only for its organization, bucket and object until it expires.
/// </summary>
public sealed class OssUpload
{
    public required string UploadKey { get; set; }
    public Guid OrgId { get; set; }
    public required string BucketKey { get; set; }
    public required string ObjectKey { get; set; }

    /// <summary>The object store's multipart upload id.</summary>
    public required string StoreUploadId { get; set; }

    /// <summary>The highest part number a URL was given out for: completing needs every part up to it.</summary>
    public int PartsIssued { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>APS's <c>uploadExpiration</c>: not completed by then, the upload and its parts are dropped.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class OssUploadTable : IEntityTypeConfiguration<OssUpload>
{
    public void Configure(EntityTypeBuilder<OssUpload> b)
    {
        b.ToTable("oss_uploads");
        b.HasKey(x => x.UploadKey);
        b.Property(x => x.UploadKey).HasMaxLength(64);
        b.Property(x => x.BucketKey).HasMaxLength(128);
        b.Property(x => x.ObjectKey).HasMaxLength(1024);
        b.Property(x => x.StoreUploadId).HasMaxLength(1024);
        b.HasOne<OssBucket>().WithMany().HasForeignKey(x => x.BucketKey).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.ExpiresAt);
    }
}

/// <summary>OSS's tables, named on the context by this surface.</summary>
public static class OssSets
{
    extension(ScanportDb db)
    {
        public DbSet<OssBucket> OssBuckets => db.Set<OssBucket>();
        public DbSet<OssObject> OssObjects => db.Set<OssObject>();
        public DbSet<OssUpload> OssUploads => db.Set<OssUpload>();
    }
}
