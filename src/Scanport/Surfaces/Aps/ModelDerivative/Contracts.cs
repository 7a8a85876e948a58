using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>The body of <c>POST /modelderivative/v2/designdata/job</c>, as APS names it.</summary>
public sealed record JobPayload(
    [property: JsonPropertyName("input")] JobInput? Input,
    [property: JsonPropertyName("output")] JobOutput? Output,
    [property: JsonPropertyName("misc")] JobMisc? Misc);

public sealed record JobInput(
    [property: JsonPropertyName("urn")] string? Urn,
    [property: JsonPropertyName("compressedUrn")] bool? CompressedUrn,
    [property: JsonPropertyName("rootFilename")] string? RootFilename,
    [property: JsonPropertyName("checkReferences")] bool? CheckReferences);

public sealed record JobOutput(
    [property: JsonPropertyName("destination")] JobDestination? Destination,
    [property: JsonPropertyName("formats")] List<JobFormat?>? Formats);

public sealed record JobDestination([property: JsonPropertyName("region")] string? Region);

public sealed record JobFormat(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("views")] List<string?>? Views,
    [property: JsonPropertyName("advanced")] JsonObject? Advanced);

public sealed record JobMisc(
    [property: JsonPropertyName("workflow")] string? Workflow,
    [property: JsonPropertyName("workflowAttribute")] JsonObject? WorkflowAttribute);

/// <summary>APS's answer to a job: <c>success</c> (200, started) or <c>created</c> (201, the derivatives exist).</summary>
public sealed record JobAccepted(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("acceptedJobs")] JsonObject AcceptedJobs);

/// <summary>APS's answer to a manifest's deletion.</summary>
public sealed record ManifestDeleted([property: JsonPropertyName("result")] string Result);
