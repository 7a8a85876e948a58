using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// An OSS bucket this surface made on the APS cloud, and whose it is: bucket keys are global at APS, and with one
/// Autodesk application serving every organization the cloud cannot say which organization's a bucket is. A project's
/// own bucket names its project; buckets made with <c>POST /aps/buckets</c> name none.
/// </summary>
public sealed class ApsiBucket
{
    public required string BucketKey { get; set; }
    public Guid OrgId { get; set; }
    public Guid? ProjectId { get; set; }
    public required string Policy { get; set; }
    /// <summary>The APS application that owns it (<c>bucket_owner</c>): a client id.</summary>
    public string? Owner { get; set; }
    /// <summary>Whether it exists on the cloud yet: a project's bucket is named when the project is first seen, made on its first upload.</summary>
    public bool Created { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A platform user's integer id in this document (<c>id</c> of <c>/auth/register</c>), made on first use.</summary>
public sealed class ApsiAccount
{
    public long Number { get; set; }
    public Guid UserId { get; set; }
}

/// <summary>A design file of a project: an OSS object of the project's bucket, and where its translation stands.</summary>
public sealed class ApsiFile
{
    public long Number { get; set; }
    public Guid ProjectId { get; set; }
    public required string BucketKey { get; set; }
    /// <summary>The object key, also the file's <c>name</c>: the original name made safe and unique in the bucket.</summary>
    public required string ObjectKey { get; set; }
    public required string OriginalFilename { get; set; }
    /// <summary>The design URN (base64url of the object id, real form).</summary>
    public required string Urn { get; set; }
    public long Size { get; set; }
    public string? ContentType { get; set; }
    public string? Sha1 { get; set; }
    /// <summary><c>uploaded</c>, <c>translating</c>, <c>ready</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = FileStatus.Uploaded;
    /// <summary>When the status last changed: a callback about an older moment changes nothing.</summary>
    public DateTimeOffset StatusAt { get; set; }
    public string? Error { get; set; }
    public Guid? UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public DateTimeOffset? TranslatedAt { get; set; }
}

public static class FileStatus
{
    public const string Uploaded = "uploaded";
    public const string Translating = "translating";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>
/// On Scanport's own APS cloud with no application configured, each organization's APS application is an API key of its
/// own made by this surface: its secret is kept encrypted with Data Protection, since it must be sent again.
/// </summary>
public sealed class ApsiAppKey
{
    public Guid OrgId { get; set; }
    public Guid ApiKeyId { get; set; }
    public required string ProtectedSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A user's APS tokens from the three-legged flow, encrypted at rest with Data Protection.</summary>
public sealed class ApsiUserToken
{
    public Guid UserId { get; set; }
    public required string ProtectedAccessToken { get; set; }
    public string? ProtectedRefreshToken { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? Scope { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A three-legged authorization under way: its <c>state</c>, whose it is, and its PKCE verifier (encrypted).</summary>
public sealed class ApsiAuthorization
{
    public required string State { get; set; }
    public Guid UserId { get; set; }
    public required string ProtectedVerifier { get; set; }
    public required string RedirectUri { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// The surface's webhook registration on one APS application (an organization's key, or the configured application):
/// the hooks it made, so they are made once.
/// </summary>
public sealed class ApsiHookRegistration
{
    /// <summary><c>app:{client id}</c>.</summary>
    public required string Key { get; set; }
    public required string CallbackUrl { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
}

/// <summary>A callback already taken (the SHA-256 of its body), so that the same callback sent again changes nothing.</summary>
public sealed class ApsiWebhookReceipt
{
    public required byte[] Digest { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A secret of the surface made once and kept encrypted (the webhook signing secret when none is configured).</summary>
public sealed class ApsiSecret
{
    public required string Name { get; set; }
    public required string ProtectedValue { get; set; }
}

internal sealed class ApsiConfiguration :
    IEntityTypeConfiguration<ApsiBucket>, IEntityTypeConfiguration<ApsiFile>, IEntityTypeConfiguration<ApsiAppKey>,
    IEntityTypeConfiguration<ApsiUserToken>, IEntityTypeConfiguration<ApsiAuthorization>, IEntityTypeConfiguration<ApsiHookRegistration>,
    IEntityTypeConfiguration<ApsiWebhookReceipt>, IEntityTypeConfiguration<ApsiSecret>, IEntityTypeConfiguration<ApsiAccount>
{
    public void Configure(EntityTypeBuilder<ApsiBucket> b)
    {
        b.ToTable("apsi_buckets");
        b.HasKey(x => x.BucketKey);
        b.Property(x => x.BucketKey).HasMaxLength(128);
        b.Property(x => x.Policy).HasMaxLength(16);
        b.Property(x => x.Owner).HasMaxLength(200);
        b.HasIndex(x => x.OrgId);
        b.HasIndex(x => x.ProjectId).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrgId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key to the project: its bucket outlives the row until the deletion listener has emptied it at APS.
    }

    public void Configure(EntityTypeBuilder<ApsiFile> b)
    {
        b.ToTable("apsi_files");
        b.HasKey(x => x.Number);
        b.Property(x => x.Number).ValueGeneratedOnAdd();
        b.Property(x => x.BucketKey).HasMaxLength(128);
        b.Property(x => x.ObjectKey).HasMaxLength(255);
        b.Property(x => x.OriginalFilename).HasMaxLength(255);
        b.Property(x => x.Urn).HasMaxLength(600);
        b.Property(x => x.ContentType).HasMaxLength(200);
        b.Property(x => x.Sha1).HasMaxLength(40);
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.Error).HasMaxLength(2000);
        b.HasIndex(x => x.ProjectId);
        b.HasIndex(x => x.Urn);
        b.HasIndex(x => new { x.BucketKey, x.ObjectKey }).IsUnique();
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).HasPrincipalKey(p => p.Id).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ApsiAppKey> b)
    {
        b.ToTable("apsi_app_keys");
        b.HasKey(x => x.OrgId);
        b.Property(x => x.ProtectedSecret).HasMaxLength(2000);
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrgId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ApiKey>().WithMany().HasForeignKey(x => x.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ApsiUserToken> b)
    {
        b.ToTable("apsi_user_tokens");
        b.HasKey(x => x.UserId);
        b.Property(x => x.ProtectedAccessToken).HasMaxLength(16000);
        b.Property(x => x.ProtectedRefreshToken).HasMaxLength(16000);
        b.Property(x => x.Scope).HasMaxLength(1000);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ApsiAuthorization> b)
    {
        b.ToTable("apsi_authorizations");
        b.HasKey(x => x.State);
        b.Property(x => x.State).HasMaxLength(100);
        b.Property(x => x.ProtectedVerifier).HasMaxLength(2000);
        b.Property(x => x.RedirectUri).HasMaxLength(2000);
        b.HasIndex(x => x.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ApsiHookRegistration> b)
    {
        b.ToTable("apsi_hook_registrations");
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(200);
        b.Property(x => x.CallbackUrl).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<ApsiWebhookReceipt> b)
    {
        b.ToTable("apsi_webhook_receipts");
        b.HasKey(x => x.Digest);
        b.Property(x => x.Digest).HasMaxLength(32);
        b.HasIndex(x => x.ReceivedAt);
    }

    public void Configure(EntityTypeBuilder<ApsiSecret> b)
    {
        b.ToTable("apsi_secrets");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.ProtectedValue).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<ApsiAccount> b)
    {
        b.ToTable("apsi_accounts");
        b.HasKey(x => x.Number);
        b.Property(x => x.Number).ValueGeneratedOnAdd();
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasOne<User>().WithOne().HasForeignKey<ApsiAccount>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
