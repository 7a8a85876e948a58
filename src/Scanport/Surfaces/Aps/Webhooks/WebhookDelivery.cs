using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>The client that makes callbacks: one for the process, connecting only where <see cref="CallbackNetworks"/> allows.</summary>
public sealed class WebhookCallbacks(CallbackNetworks networks) : IDisposable
{
    public HttpClient Client { get; } = new(networks.Handler()) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => Client.Dispose();
}

/// <summary>
/// Delivers one event to one hook: POSTs the body recorded when the event was raised, signed with the hook's secret token
/// (or its creator's) as <c>x-adsk-signature: sha1hash=&lt;hex HMAC-SHA1&gt;</c>. A failure (no answer in time, a non-2xx
/// answer, no connection) is retried by the job's back-off; an event that failed every attempt counts against the hook,
/// which is made inactive at the limit. A callback to an address callbacks may not reach fails at once.
/// </summary>
internal sealed class WebhookDelivery(ScanportDb db, WebhookCallbacks callbacks, IOptions<WebhooksOptions> options, TimeProvider clock,
    ILogger<WebhookDelivery> logger) : IJobHandler
{
    public const string JobType = "aps.webhook.delivery";

    /// <summary>What a delivery job carries: the exact body, so every attempt sends (and signs) the same bytes.</summary>
    public sealed record Payload(Guid DeliveryId, Guid HookId, string Body);

    public string Type => JobType;
    public string Queue => "webhooks";

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var delivery = context.Payload<Payload>();
        var hook = await db.ApsHooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == delivery.HookId && h.OrgId == context.OrgId, ct);
        // Deleted, or made inactive since the event: nothing to deliver any more.
        if (hook is null || hook.Status == HookStatus.Inactive) return JobOutcome.Succeeded("""{"delivered":false}""");
        var token = hook.Token ?? await db.ApsWebhookTokens.Where(t => t.OwnerId == hook.CreatedBy && t.OrgId == hook.OrgId)
            .Select(t => t.Token).FirstOrDefaultAsync(ct);
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.CallbackUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("x-adsk-delivery-id", delivery.DeliveryId.ToString());
        if (token is not null) request.Headers.TryAddWithoutValidation("x-adsk-signature", Signature(token, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.CallbackTimeout);
        int status;
        try
        {
            using var response = await callbacks.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException e) when (e.InnerException is CallbackRefusedException refused)
        {
            throw new JobFailedException(refused.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CallbackFailedException($"The callback did not answer within {options.Value.CallbackTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            throw new CallbackFailedException($"The callback could not be reached: {e.Message}");
        }
        if (status is < 200 or > 299) throw new CallbackFailedException($"The callback answered {status}");
        await context.LogAsync($"Delivered to hook {hook.Id}: {status}");
        // Delivered: a reactivated or failing hook is healthy again.
        await db.ApsHooks.Where(h => h.Id == hook.Id && h.Status != HookStatus.Inactive && (h.Status == HookStatus.Reactivated || h.FailedEvents > 0))
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.Status, HookStatus.Active).SetProperty(h => h.FailedEvents, 0)
                .SetProperty(h => h.FailedReactivations, 0).SetProperty(h => h.InactiveSince, (DateTimeOffset?)null), CancellationToken.None);
        return JobOutcome.Succeeded($$"""{"delivered":true,"status":{{status}}}""");
    }

    /// <summary>Every attempt failed: the event counts against the hook (or ends its reactivation).</summary>
    public async Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct)
    {
        var hookId = context.Payload<Payload>().HookId;
        var now = clock.GetUtcNow();
        var limits = options.Value;
        await db.ApsHooks.Where(h => h.Id == hookId && h.Status == HookStatus.Reactivated).ExecuteUpdateAsync(u => u
            .SetProperty(h => h.Status, HookStatus.Inactive).SetProperty(h => h.InactiveSince, now)
            .SetProperty(h => h.FailedReactivations, h => h.FailedReactivations + 1)
            .SetProperty(h => h.AutoReactivateHook, h => h.AutoReactivateHook && h.FailedReactivations + 1 < limits.MaxReactivations), ct);
        await db.ApsHooks.Where(h => h.Id == hookId && h.Status == HookStatus.Active)
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.FailedEvents, h => h.FailedEvents + 1), ct);
        var deactivated = await db.ApsHooks.Where(h => h.Id == hookId && h.Status == HookStatus.Active && h.FailedEvents >= limits.FailedEventsBeforeInactive)
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.Status, HookStatus.Inactive).SetProperty(h => h.InactiveSince, now), ct);
        if (deactivated > 0) logger.LogWarning("Webhook {HookId} made inactive after {Count} undelivered events", hookId, limits.FailedEventsBeforeInactive);
    }

    /// <summary>APS's signature header value: <c>sha1hash=</c> and the hex HMAC-SHA1 of the exact body, keyed with the token.</summary>
    public static string Signature(string token, byte[] body) =>
        "sha1hash=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), body));
}

/// <summary>A callback that failed in a way a later attempt may not (no answer, a non-2xx answer).</summary>
public sealed class CallbackFailedException(string message) : Exception(message);
