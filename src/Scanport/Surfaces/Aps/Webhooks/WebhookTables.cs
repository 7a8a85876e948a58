using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scanport.Data;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>
/// A webhook of the APS cloud: one event of one system, scoped to a Model Derivative workflow id, delivered to one callback
/// URL. It belongs to its organization and to its creator (the API key of a two-legged token, the user of a three-legged one).
/// </summary>
public sealed class ApsHook
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgId { get; set; }

    /// <summary>The API key (<c>Application</c>) or user (<c>O2User</c>) that created it: APS's <c>createdBy</c>.</summary>
    public Guid CreatedBy { get; set; }
    public required string CreatorType { get; set; }
    public required string System { get; set; }
    public required string Event { get; set; }

    /// <summary><c>scope.workflow</c>: the hook hears the translation jobs posted with this <c>misc.workflow</c>.</summary>
    public required string Workflow { get; set; }
    public required string CallbackUrl { get; set; }
    public string? Tenant { get; set; }
    public string? HubId { get; set; }
    public string? ProjectId { get; set; }

    /// <summary>The client's <c>hookAttribute</c> object as JSON, handed back in every callback.</summary>
    public string? HookAttribute { get; set; }
    public string? Filter { get; set; }

    /// <summary>This hook's own secret token (PATCH <c>token</c>); without one, its creator's (<see cref="ApsWebhookToken"/>).</summary>
    public string? Token { get; set; }

    /// <summary><c>active</c>, <c>inactive</c> or <c>reactivated</c>.</summary>
    public string Status { get; set; } = HookStatus.Active;
    public bool AutoReactivateHook { get; set; }
    public DateTimeOffset? HookExpiry { get; set; }
    public bool CallbackWithEventPayloadOnly { get; set; }
    public string Region { get; set; } = "US";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Events whose every delivery attempt failed since the last one delivered; at the limit the hook is made inactive.</summary>
    public int FailedEvents { get; set; }

    /// <summary>When it was last made inactive by failures (the start of the wait before an automatic reactivation).</summary>
    public DateTimeOffset? InactiveSince { get; set; }

    /// <summary>Automatic reactivations that failed; at the limit the hook stays inactive and <see cref="AutoReactivateHook"/> is cleared.</summary>
    public int FailedReactivations { get; set; }
}

public static class HookStatus
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Reactivated = "reactivated";
}

/// <summary>A secret token of one API key or user, signing the callbacks of its hooks (APS's per-app or per-user token).</summary>
public sealed class ApsWebhookToken
{
    public Guid OwnerId { get; set; }
    public Guid OrgId { get; set; }
    public required string Token { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ApsHookTable : IEntityTypeConfiguration<ApsHook>
{
    public void Configure(EntityTypeBuilder<ApsHook> b)
    {
        b.ToTable("aps_webhooks");
        b.HasKey(x => x.Id);
        b.Property(x => x.CreatorType).HasMaxLength(16);
        b.Property(x => x.System).HasMaxLength(64);
        b.Property(x => x.Event).HasMaxLength(64);
        b.Property(x => x.Workflow).HasMaxLength(64);
        b.Property(x => x.CallbackUrl).HasMaxLength(HookRules.MaxCallbackUrlLength);
        b.Property(x => x.Tenant).HasMaxLength(256);
        b.Property(x => x.HubId).HasMaxLength(256);
        b.Property(x => x.ProjectId).HasMaxLength(256);
        b.Property(x => x.HookAttribute).HasMaxLength(HookRules.MaxHookAttributeBytes * 2);
        b.Property(x => x.Filter).HasMaxLength(HookRules.MaxFilterLength);
        b.Property(x => x.Token).HasMaxLength(HookRules.MaxTokenLength);
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.Region).HasMaxLength(8);
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrgId).OnDelete(DeleteBehavior.Cascade);
        // The same callback for the same event and scope is one hook (409), in each organization and region.
        b.HasIndex(x => new { x.OrgId, x.Region, x.System, x.Event, x.Workflow, x.CallbackUrl }).IsUnique();
        // The hooks an event is delivered to.
        b.HasIndex(x => new { x.OrgId, x.System, x.Event, x.Workflow });
    }
}

internal sealed class ApsWebhookTokenTable : IEntityTypeConfiguration<ApsWebhookToken>
{
    public void Configure(EntityTypeBuilder<ApsWebhookToken> b)
    {
        b.ToTable("aps_webhook_tokens");
        b.HasKey(x => x.OwnerId);
        b.Property(x => x.Token).HasMaxLength(HookRules.MaxTokenLength);
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The webhooks' tables, named on the context by this surface.</summary>
public static class WebhookSets
{
    extension(ScanportDb db)
    {
        public DbSet<ApsHook> ApsHooks => db.Set<ApsHook>();
        public DbSet<ApsWebhookToken> ApsWebhookTokens => db.Set<ApsWebhookToken>();
    }
}
