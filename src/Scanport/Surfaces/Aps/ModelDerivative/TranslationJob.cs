using Scanport.ApsCloud;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.ModelDerivatives;
using Scanport.Surfaces.Aps.Oss;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>What a translation job carries: the manifest (organization from the job) and the generation it translates.</summary>
internal sealed record TranslationPayload(string SourceId, Guid Generation);

/// <summary>
/// <c>aps_translation</c> on the <c>derivatives</c> queue: the source object copied to the job's folder (unzipped when
/// compressed), translated offline by <see cref="ModelTranslator"/>, its derivatives stored under the generation's prefix,
/// and the manifest moved along (pending → inprogress "NN% complete" → success, failed or timeout) with every
/// <see cref="IDerivativeEventSink"/> told. Re-entrant: a retried or restarted job translates its generation again; a job
/// whose generation was replaced (forced re-translation, deleted manifest) stores nothing.
/// </summary>
internal sealed class TranslationJob(
    ScanportDb db, OssCatalog oss, ModelTranslator translator, DerivativeFiles files, IEnumerable<IDerivativeEventSink> sinks,
    TimeProvider clock, ILogger<TranslationJob> logger) : IJobHandler
{
    public const string JobType = "aps_translation";

    public string Type => JobType;
    public string Queue => "derivatives";

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var payload = context.Payload<TranslationPayload>();
        var manifest = await CurrentAsync(context.OrgId, payload, ct);
        if (manifest is null) return JobOutcome.Succeeded("""{"stale":true}""");
        var source = DesignUrns.Read(ApsUrns.Encode(payload.SourceId))!;

        await ProgressAsync(manifest, payload, 5, ct);
        var entry = await oss.FindObjectAsync(context.OrgId, source.BucketKey, source.ObjectKey, ct);
        if (entry is null) return await FailAsync(manifest, payload, "The source design no longer exists in its bucket.", ct);
        var sourceFolder = Directory.CreateDirectory(Path.Combine(context.WorkFolder, "source")).FullName;
        var download = Path.Combine(context.WorkFolder, manifest.Compressed ? "source.zip" : "source.bin");
        await using (var content = await oss.OpenAsync(context.OrgId, entry, null, ct))
        {
            if (content is null) return await FailAsync(manifest, payload, "The source design's bytes are missing from the object store.", ct);
            await using var file = new FileStream(download, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await content.Body.CopyToAsync(file, 1 << 16, ct);
        }
        await ProgressAsync(manifest, payload, 15, ct);

        string inputPath;
        if (manifest.Compressed)
        {
            var (root, failure) = await SourceArchive.ExtractAsync(download, sourceFolder, manifest.RootFilename ?? "", ct);
            if (root is null) return await FailAsync(manifest, payload, failure!, ct);
            inputPath = root;
        }
        else
        {
            // The converters read the file by its extension, and look for an OBJ's MTL beside it.
            inputPath = Path.Combine(sourceFolder, SafeName(source.FileName));
            File.Move(download, inputPath);
        }
        await ProgressAsync(manifest, payload, 25, ct);

        var output = Path.Combine(context.WorkFolder, "output");
        var result = await translator.TranslateAsync(inputPath, Path.GetExtension(inputPath), output, ct);
        if (!result.Succeeded) return await FailAsync(manifest, payload, result.FailureMessage ?? "The design could not be translated.", ct);
        var model = result.Model!;
        await ProgressAsync(manifest, payload, 80, ct);

        var (org, generation) = (context.OrgId, payload.Generation);
        await files.PutFileAsync(org, generation, DerivativeFiles.Model, model.ModelPath, "model/gltf-binary", ct);
        foreach (var thumbnail in model.Thumbnails)
            await files.PutFileAsync(org, generation, DerivativeFiles.Thumbnail(thumbnail.Size), thumbnail.Path, "image/png", ct);
        await files.PutBytesAsync(org, generation, DerivativeFiles.Tree, JsonSerializer.SerializeToUtf8Bytes(ObjectTreeJson(model.Root)), "application/json", ct);
        await files.PutBytesAsync(org, generation, DerivativeFiles.Properties, JsonSerializer.SerializeToUtf8Bytes(PropertiesJson(model.Properties)), "application/json", ct);
        await ProgressAsync(manifest, payload, 95, ct);

        var sizes = string.Join(',', model.Thumbnails.Select(t => t.Size.ToString(CultureInfo.InvariantCulture)));
        if (await UpdateAsync(manifest, payload, ManifestStatus.Success, 100, null, sizes, CancellationToken.None) == 0)
        {
            // Replaced while translating: what this job stored belongs to no manifest.
            await files.DeleteGenerationAsync(org, generation, CancellationToken.None);
            return JobOutcome.Succeeded("""{"stale":true}""");
        }
        await RaiseAsync(manifest, DerivativeEvent.Finished, ManifestStatus.Success, "complete", CancellationToken.None);
        return JobOutcome.Succeeded(JsonSerializer.Serialize(new { status = ManifestStatus.Success, objects = model.Properties.Count }));
    }

    public async Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct)
    {
        var payload = context.Payload<TranslationPayload>();
        var manifest = await CurrentAsync(context.OrgId, payload, ct);
        if (manifest is null || ManifestStatus.IsFinal(manifest.Status)) return;
        await FailAsync(manifest, payload, error, ct);
    }

    private Task<DerivativeManifest?> CurrentAsync(Guid orgId, TranslationPayload payload, CancellationToken ct) =>
        db.DerivativeManifests.AsNoTracking()
            .FirstOrDefaultAsync(m => m.OrgId == orgId && m.SourceId == payload.SourceId && m.Generation == payload.Generation, ct);

    private async Task ProgressAsync(DerivativeManifest manifest, TranslationPayload payload, int percent, CancellationToken ct)
    {
        if (await UpdateAsync(manifest, payload, ManifestStatus.InProgress, percent, null, "", ct) == 0)
            throw new JobFailedException("The manifest was replaced or deleted while it was translated.");
        await RaiseAsync(manifest, DerivativeEvent.Updated, ManifestStatus.InProgress, ManifestStatus.Percent(percent), ct);
    }

    private async Task<JobOutcome> FailAsync(DerivativeManifest manifest, TranslationPayload payload, string message, CancellationToken ct)
    {
        // The converters' time limit is APS's "timeout"; everything else the file did is "failed".
        var status = message.Contains("time limit", StringComparison.Ordinal) ? ManifestStatus.Timeout : ManifestStatus.Failed;
        logger.LogInformation("Translation of {SourceId} ended {Status}: {Message}", payload.SourceId, status, message);
        if (await UpdateAsync(manifest, payload, status, 100, message, "", CancellationToken.None) > 0)
            await RaiseAsync(manifest, DerivativeEvent.Finished, status, "complete", CancellationToken.None);
        return JobOutcome.Failed(message);
    }

    /// <summary>Moves the manifest of this generation only; 0 when it is no longer this generation's.</summary>
    private Task<int> UpdateAsync(DerivativeManifest manifest, TranslationPayload payload, string status, int progress, string? failure, string thumbnails, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.DerivativeManifests
            .Where(m => m.OrgId == manifest.OrgId && m.SourceId == payload.SourceId && m.Generation == payload.Generation)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, status).SetProperty(m => m.Progress, progress)
                .SetProperty(m => m.Failure, failure).SetProperty(m => m.Thumbnails, thumbnails).SetProperty(m => m.UpdatedAt, now), ct);
    }

    private async Task RaiseAsync(DerivativeManifest manifest, string name, string status, string progress, CancellationToken ct)
    {
        var attribute = manifest.WorkflowAttribute is { } json ? JsonNode.Parse(json) : null;
        foreach (var outputType in manifest.OutputTypes.Split(','))
            foreach (var sink in sinks)
                await sink.RaiseAsync(new DerivativeEvent(manifest.OrgId, name, manifest.Urn, manifest.Workflow, attribute?.DeepClone(),
                    outputType, status, progress, clock.GetUtcNow()), ct);
    }

    /// <summary>The object key's name as a file name of the work folder (its extension kept).</summary>
    private static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.');
        return safe.Length is > 0 and <= 200 ? safe : "source" + Path.GetExtension(name);
    }

    /// <summary>APS's object tree body, ready to serve: the model and its objects, names and hierarchy as the source has them.</summary>
    internal static JsonObject ObjectTreeJson(ModelObject root) =>
        new() { ["data"] = new JsonObject { ["type"] = "objects", ["objects"] = new JsonArray(TreeNode(root)) } };

    private static JsonObject TreeNode(ModelObject o)
    {
        var node = new JsonObject { ["objectid"] = o.ObjectId, ["name"] = o.Name };
        if (o.Children.Count > 0) node["objects"] = new JsonArray(o.Children.Select(c => (JsonNode)TreeNode(c)).ToArray());
        return node;
    }

    /// <summary>APS's properties body, ready to serve: every object in object id order, its groups of properties.</summary>
    internal static JsonObject PropertiesJson(IReadOnlyList<ObjectProperties> properties) => new()
    {
        ["data"] = new JsonObject
        {
            ["type"] = "properties",
            ["collection"] = new JsonArray(properties.Select(p =>
            {
                var item = new JsonObject { ["objectid"] = p.ObjectId, ["name"] = p.Name };
                if (p.ExternalId is { } externalId) item["externalId"] = externalId;
                var groups = new JsonObject();
                foreach (var (group, values) in p.Groups)
                    groups[group] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
                item["properties"] = groups;
                return (JsonNode)item;
            }).ToArray()),
        },
    };
}

/// <summary>A manifest's states, as APS spells them.</summary>
public static class ManifestStatus
{
    public const string Pending = "pending";
    public const string InProgress = "inprogress";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Timeout = "timeout";

    public static bool IsFinal(string status) => status is Success or Failed or Timeout;

    public static string Percent(int percent) => $"{percent.ToString(CultureInfo.InvariantCulture)}% complete";
}
