using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>The <c>Aps:Webhooks</c> configuration section: where callbacks may go, and how hard delivery tries.</summary>
public sealed class WebhooksOptions : IValidatableObject
{
    public const string Section = "Aps:Webhooks";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>, <c>127.0.0.1/32</c>) that callbacks may reach although they are loopback,
    /// private, link-local, CGNAT, multicast, unspecified or IPv6 unique-local. Empty: callbacks go to public addresses only.
    /// </summary>
    public List<string> AllowedCallbackNetworks { get; set; } = [];

    /// <summary>How long one callback may take to answer (APS: 6 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Attempts to deliver one event (the first and its retries, each after a longer wait: the Jobs back-off).</summary>
    [Range(1, 20)] public int DeliveryAttempts { get; set; } = 5;

    /// <summary>Events in a row whose delivery failed for good before the hook is made inactive (APS: 5).</summary>
    [Range(1, 1000)] public int FailedEventsBeforeInactive { get; set; } = 5;

    /// <summary>How long an inactive hook with <c>autoReactivateHook</c> waits before it is tried again (APS: 7 days).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan ReactivateAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Automatic reactivations that may fail before a hook stays inactive (APS: 5).</summary>
    [Range(1, 100)] public int MaxReactivations { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedCallbackNetworks)
            if (!IPNetwork.TryParse(network, out _))
                yield return new ValidationResult($"{Section}:AllowedCallbackNetworks: '{network}' is not a CIDR network (like 10.0.0.0/8)");
    }
}
