using System.Text.Json.Nodes;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// What a translation job tells the webhooks of the <c>derivative</c> system: <c>extraction.updated</c> as it goes,
/// <c>extraction.finished</c> once its manifest is final (success, failed or timeout).
/// </summary>
/// <param name="OrgId">The organization whose object was translated: only its hooks hear of it.</param>
/// <param name="Event"><see cref="Updated"/> or <see cref="Finished"/>.</param>
/// <param name="Urn">The source's URN, as the job was posted.</param>
/// <param name="Workflow">The job's <c>misc.workflow</c>: hooks are scoped to a workflow id.</param>
/// <param name="WorkflowAttribute">The job's <c>misc.workflowAttribute</c>, handed back in the callback.</param>
/// <param name="OutputType">The output asked for (<c>svf2</c>, <c>svf</c>, <c>obj</c>, ...).</param>
/// <param name="Status">The manifest's status: <c>inprogress</c>, <c>success</c>, <c>failed</c>, <c>timeout</c>.</param>
/// <param name="Progress">The manifest's progress (<c>"40% complete"</c>, <c>"complete"</c>).</param>
/// <param name="At">When it happened.</param>
public sealed record DerivativeEvent(
    Guid OrgId, string Event, string Urn, string? Workflow, JsonNode? WorkflowAttribute,
    string OutputType, string Status, string Progress, DateTimeOffset At)
{
    public const string Updated = "extraction.updated";
    public const string Finished = "extraction.finished";
}

/// <summary>Hears <see cref="DerivativeEvent"/>s (the webhooks). Translation jobs call every registered sink.</summary>
public interface IDerivativeEventSink
{
    /// <summary>Called inside the translation job; must only record what to deliver (durably), never deliver it inline.</summary>
    Task RaiseAsync(DerivativeEvent derivativeEvent, CancellationToken ct);
}
