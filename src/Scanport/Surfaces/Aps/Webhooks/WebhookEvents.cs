using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Surfaces.Aps.ModelDerivative;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>
/// The webhooks' <see cref="IDerivativeEventSink"/>: for each of the organization's live hooks of the event whose
/// <c>scope.workflow</c> is the job's workflow, one durable delivery job carrying the exact callback body. Saved in a scope of
/// its own, so that nothing the translation job has pending in its own unit of work is saved with it.
/// </summary>
internal sealed class WebhookEvents(IServiceScopeFactory scopes, IOptions<WebhooksOptions> options, TimeProvider clock) : IDerivativeEventSink
{
    public async Task RaiseAsync(DerivativeEvent derivativeEvent, CancellationToken ct)
    {
        if (derivativeEvent.Workflow is not { } workflow) return;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
        var now = clock.GetUtcNow();
        var hooks = await db.ApsHooks
            .Where(h => h.OrgId == derivativeEvent.OrgId && h.System == HookRules.Derivative && h.Event == derivativeEvent.Event
                && h.Workflow == workflow && (h.HookExpiry == null || h.HookExpiry > now))
            .ToListAsync(ct);
        var jobs = new List<Job>();
        foreach (var hook in hooks)
        {
            var attempts = options.Value.DeliveryAttempts;
            if (hook.Status == HookStatus.Inactive)
            {
                // Made inactive by failures, with automatic reactivation, and waited long enough: one attempt, as at APS.
                if (!hook.AutoReactivateHook || hook.InactiveSince is not { } since || since + options.Value.ReactivateAfter > now) continue;
                hook.Status = HookStatus.Reactivated;
                attempts = 1;
            }
            else if (hook.Status == HookStatus.Reactivated) attempts = 1;
            var payload = Payload(derivativeEvent);
            // A filter this server could not read would have been refused when it was set.
            if (hook.Filter is { } filter && HookFilter.Parse(filter, out _) is { } parsed && !parsed.Matches(payload)) continue;
            var delivery = new WebhookDelivery.Payload(Guid.CreateVersion7(), hook.Id, CallbackBody(hook, derivativeEvent.Urn, payload));
            var job = queue.Add(derivativeEvent.OrgId, WebhookDelivery.JobType, delivery, $"aps-hook:{hook.Id}");
            job.MaxAttempts = attempts;
            jobs.Add(job);
        }
        if (jobs.Count == 0) return;
        await db.SaveChangesAsync(ct);
        foreach (var job in jobs) queue.Dispatch(job);
    }

    /// <summary>APS's callback body: <c>{version, resourceUrn, hook, payload}</c>, or the payload alone when the hook asked for it.</summary>
    internal static string CallbackBody(ApsHook hook, string urn, JsonObject payload) => hook.CallbackWithEventPayloadOnly
        ? payload.ToJsonString()
        : new JsonObject
        {
            ["version"] = "1.0",
            ["resourceUrn"] = urn,
            ["hook"] = JsonSerializer.SerializeToNode(HookDetails.Of(hook)),
            ["payload"] = payload.DeepClone(),
        }.ToJsonString();

    /// <summary>The event as APS's derivative callbacks carry it (and as a hook's filter reads it).</summary>
    internal static JsonObject Payload(DerivativeEvent e)
    {
        var inner = new JsonObject
        {
            ["URN"] = e.Urn,
            ["status"] = e.Status,
            ["progress"] = e.Progress,
            ["outputType"] = e.OutputType,
            ["workflowId"] = e.Workflow,
        };
        if (e.WorkflowAttribute is { } attribute) inner["workflowAttribute"] = attribute.DeepClone();
        return new JsonObject
        {
            ["TimeStamp"] = e.At.ToUnixTimeMilliseconds(),
            ["URN"] = e.Urn,
            ["EventType"] = e.Event == DerivativeEvent.Finished ? "EXTRACTION_FINISHED" : "EXTRACTION_UPDATED",
            ["Payload"] = inner,
        };
    }
}
