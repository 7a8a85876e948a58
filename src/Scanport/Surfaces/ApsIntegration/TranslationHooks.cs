using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.ApsCloud;
using Scanport.Data;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// The surface hears its translations by push: on each APS application it uses it sets the signing secret and registers
/// <c>extraction.finished</c> and <c>extraction.updated</c> hooks for its workflow, calling back
/// <c>POST {BasePath}/webhooks/translation-status</c>, once per application (recorded, so other nodes and restarts do not
/// register again). A cloud that will not call back (a server on a private address) leaves the surface reading manifests,
/// as it does for every file still translating.
/// </summary>
internal sealed class TranslationHooks(IServiceScopeFactory scopes, IDataProtectionProvider protection, TenantClouds clouds,
    IOptions<ApsIntegrationOptions> options, TimeProvider clock, ILogger<TranslationHooks> logger)
{
    /// <summary>The <c>misc.workflow</c> of this surface's translations, which its hooks are scoped to.</summary>
    public const string Workflow = "scanport-aps-integration";

    private readonly IDataProtector _protector = protection.CreateProtector("Scanport.ApsIntegration.Secret.v1");
    private readonly ConcurrentDictionary<string, bool> _registered = new();
    private string? _secret;

    public string CallbackUrl => new Uri(clouds.OwnUrl, options.Value.BasePath.TrimStart('/') + "/webhooks/translation-status").ToString();

    /// <summary>The secret callbacks are signed with: configured, else made once and kept encrypted in the database.</summary>
    public async Task<string> SecretAsync(CancellationToken ct)
    {
        if (options.Value.WebhookSecret is { Length: > 0 } configured) return configured;
        if (_secret is not null) return _secret;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        if (await db.Set<ApsiSecret>().FirstOrDefaultAsync(s => s.Name == "webhook", ct) is not { } row)
        {
            row = new ApsiSecret { Name = "webhook", ProtectedValue = _protector.Protect(TenantClouds.NewSecret()) };
            db.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node made it first: theirs is the one.
                db.ChangeTracker.Clear();
                row = await db.Set<ApsiSecret>().FirstAsync(s => s.Name == "webhook", ct);
            }
        }
        return _secret = _protector.Unprotect(row.ProtectedValue);
    }

    /// <summary>Registers the hooks on the client's application unless done; a failure is logged and tried again on the next translation.</summary>
    public async Task EnsureAsync(ApsCloudClient client, CancellationToken ct)
    {
        var key = $"app:{client.BaseUrl}|{client.Credentials.ClientId}";
        if (key.Length > 200) key = key[..200];
        var callback = CallbackUrl;
        if (_registered.ContainsKey(key + callback)) return;
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var row = await db.Set<ApsiHookRegistration>().FirstOrDefaultAsync(r => r.Key == key, ct);
            if (row is null || row.CallbackUrl != callback)
            {
                await client.Webhooks.SetSecretAsync(await SecretAsync(ct), ct);
                var uri = new Uri(callback);
                await client.Webhooks.CreateHookAsync(ApsWebhooks.ExtractionFinished, uri, Workflow, ct);
                await client.Webhooks.CreateHookAsync(ApsWebhooks.ExtractionUpdated, uri, Workflow, ct);
                if (row is null) db.Add(new ApsiHookRegistration { Key = key, CallbackUrl = callback, RegisteredAt = clock.GetUtcNow() });
                else (row.CallbackUrl, row.RegisteredAt) = (callback, clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
            }
            _registered[key + callback] = true;
        }
        catch (Exception e) when (e is ApsCloudException or DbUpdateException)
        {
            logger.LogWarning(e, "Could not register the translation webhooks on APS application {ClientId}; statuses are read from manifests", client.Credentials.ClientId);
        }
    }
}
