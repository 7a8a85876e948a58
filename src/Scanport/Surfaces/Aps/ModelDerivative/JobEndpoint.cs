using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Surfaces.Aps.Oss;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// <c>POST /modelderivative/v2/designdata/job</c>: validates the job, records the manifest (pending) and queues its
/// translation in one transaction. An existing manifest that has or is making the asked outputs is kept (201
/// <c>created</c>) unless <c>x-ads-force</c> is true; otherwise a new generation is translated (200 <c>success</c>).
/// </summary>
internal static class JobEndpoint
{
    /// <summary>The outputs Scanport makes: <c>svf</c> and <c>svf2</c> are answered with glTF graphics, <c>thumbnail</c> with PNGs.</summary>
    public static readonly string[] OutputTypes = ["svf", "svf2", "thumbnail"];

    /// <summary>APS's other outputs, refused with a message saying so rather than as unknown.</summary>
    private static readonly string[] ApsOnlyOutputs = ["obj", "stl", "step", "iges", "dwg", "ifc"];

    public static readonly string[] Regions = ["US", "EMEA", "AUS", "CAN", "DEU", "IND", "JPN", "GBR"];

    public static async Task<IResult> StartJob(JobPayload? payload, Caller caller, HttpRequest request, ScanportDb db, OssCatalog oss,
        JobQueue jobs, DerivativeFiles files, TimeProvider clock, CancellationToken ct)
    {
        if (payload?.Input?.Urn is not { Length: > 0 } urn) return MdErrors.BadInput("input.urn is required.");
        if (DesignUrns.Read(urn) is not { } source) return MdErrors.BadInput("input.urn is not the base64 URN of an OSS object id.");
        var compressed = payload.Input.CompressedUrn == true;
        var rootFilename = payload.Input.RootFilename;
        if (compressed && string.IsNullOrWhiteSpace(rootFilename)) return MdErrors.BadInput("input.rootFilename is required when input.compressedUrn is true.");
        if (rootFilename?.Length > 1024) return MdErrors.BadInput("input.rootFilename is longer than 1024 characters.");
        if (payload.Misc?.Workflow?.Length > 256) return MdErrors.BadInput("misc.workflow is longer than 256 characters.");
        if (payload.Misc?.WorkflowAttribute?.ToJsonString().Length > 8192) return MdErrors.BadInput("misc.workflowAttribute is larger than 8 KiB of JSON.");
        if (payload.Output?.Formats is not { Count: > 0 } formats) return MdErrors.BadInput("output.formats must list at least one format.");
        var types = new List<string>();
        foreach (var format in formats)
        {
            var type = format?.Type?.ToLowerInvariant();
            if (type is null) return MdErrors.BadInput("output.formats[].type is required.");
            if (ApsOnlyOutputs.Contains(type))
                return MdErrors.BadInput($"Scanport does not translate to '{type}'; it makes {string.Join(", ", OutputTypes)} (svf and svf2 as glTF graphics).");
            if (!OutputTypes.Contains(type)) return MdErrors.BadInput($"output.formats[].type '{format!.Type}' is not an output format.");
            if (format!.Views?.Any(v => v is not ("2d" or "3d")) == true) return MdErrors.BadInput("output.formats[].views may hold only \"2d\" and \"3d\".");
            if (!types.Contains(type)) types.Add(type);
        }
        var region = (request.Headers["region"].FirstOrDefault() ?? payload.Output.Destination?.Region ?? "US").ToUpperInvariant();
        if (!Regions.Contains(region)) return MdErrors.BadInput($"region must be one of {string.Join(", ", Regions)}.");
        if (!TryFlag(request.Headers["x-ads-force"].FirstOrDefault(), out var force)) return MdErrors.BadInput("x-ads-force must be true or false.");
        if (!Permissions.WritesApsData(caller)) return MdErrors.ReadOnly;
        if (await oss.FindObjectAsync(caller.OrgId, source.BucketKey, source.ObjectKey, ct) is null)
            return MdErrors.NotFound("The URN names no object of your organization's buckets.");

        var accepted = new JsonObject
        {
            ["output"] = new JsonObject
            {
                ["destination"] = new JsonObject { ["region"] = region.ToLowerInvariant() },
                ["formats"] = new JsonArray(formats.Select(f => (JsonNode)new JsonObject
                {
                    ["type"] = f!.Type!.ToLowerInvariant(),
                    ["views"] = new JsonArray((f.Views ?? ["3d"]).Select(v => (JsonNode?)v).ToArray()),
                }).ToArray()),
            },
        };
        var manifest = await db.DerivativeManifests.FirstOrDefaultAsync(m => m.OrgId == caller.OrgId && m.SourceId == source.ObjectId, ct);
        if (manifest is not null && !force && manifest.Status is not (ManifestStatus.Failed or ManifestStatus.Timeout)
            && types.All(manifest.OutputTypes.Split(',').Contains))
            return TypedResults.Json(new JobAccepted("created", urn, accepted), statusCode: StatusCodes.Status201Created);

        var now = clock.GetUtcNow();
        var replaced = manifest?.Generation;
        if (manifest is null)
        {
            manifest = new DerivativeManifest
            {
                OrgId = caller.OrgId,
                SourceId = source.ObjectId,
                Urn = urn,
                Status = ManifestStatus.Pending,
                OutputTypes = "",
                Region = region,
                SourceName = source.FileName,
                CreatedAt = now,
            };
            db.DerivativeManifests.Add(manifest);
        }
        else if (!force && manifest.Status == ManifestStatus.Success)
        {
            // Another output of the same design: the translation makes every output at once, so it is made again with all.
            types = manifest.OutputTypes.Split(',').Union(types).ToList();
        }
        manifest.Urn = urn;
        manifest.Generation = Guid.CreateVersion7();
        manifest.Status = ManifestStatus.Pending;
        manifest.Progress = 0;
        manifest.OutputTypes = string.Join(',', types);
        manifest.Region = region;
        manifest.Compressed = compressed;
        manifest.RootFilename = compressed ? rootFilename : null;
        manifest.SourceName = compressed ? Path.GetFileName(rootFilename!.Replace('\\', '/')) : source.FileName;
        manifest.Workflow = payload.Misc?.Workflow;
        manifest.WorkflowAttribute = payload.Misc?.WorkflowAttribute?.ToJsonString();
        manifest.Failure = null;
        manifest.Thumbnails = "";
        manifest.UpdatedAt = now;
        var job = jobs.Add(caller.OrgId, TranslationJob.JobType, new TranslationPayload(source.ObjectId, manifest.Generation), source.ObjectId);
        manifest.JobId = job.Id;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (replaced is null)
        {
            // Another request created this design's manifest first: its translation is the one under way.
            return TypedResults.Json(new JobAccepted("created", urn, accepted), statusCode: StatusCodes.Status201Created);
        }
        jobs.Dispatch(job);
        if (replaced is { } old) await files.DeleteGenerationAsync(caller.OrgId, old, CancellationToken.None);
        return TypedResults.Json(new JobAccepted("success", urn, accepted));
    }

    /// <summary>An APS boolean header: absent is false.</summary>
    public static bool TryFlag(string? value, out bool flag)
    {
        flag = false;
        if (string.IsNullOrEmpty(value)) return true;
        return bool.TryParse(value, out flag);
    }
}
