using System.Globalization;
using System.Text.Json.Nodes;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Storage;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>A translated design's model views, object tree and properties (202 while it is translated).</summary>
internal static class MetadataEndpoints
{
    public static async Task<IResult> GetViews(string urn, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var (_, manifest, error) = await ManifestEndpoints.FindAsync(urn, caller, db, ct);
        if (error is not null) return error;
        var views = new JsonArray();
        if (manifest!.Status == ManifestStatus.Success && manifest.OutputTypes.Split(',').Any(t => t is "svf" or "svf2"))
            views.Add(new JsonObject { ["name"] = manifest.SourceName, ["role"] = "3d", ["guid"] = ManifestJson.ViewGuid(manifest), ["isMasterView"] = false });
        return TypedResults.Json(new JsonObject { ["data"] = new JsonObject { ["type"] = "metadata", ["metadata"] = views } });
    }

    /// <summary>The object tree, or with <c>objectid</c> the subtree under that object (<c>level=1</c>: its children only).</summary>
    public static async Task<IResult> GetObjectTree(string urn, string modelGuid, string? objectid, string? level, string? forceget,
        Caller caller, ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        if (!TryObjectId(objectid, out var id)) return MdErrors.BadInput("objectid must be a positive integer.");
        if (level is not (null or "1")) return MdErrors.BadInput("level supports only 1.");
        if (!JobEndpoint.TryFlag(forceget, out _)) return MdErrors.BadInput("forceget must be true or false.");
        if (id is null) return await StreamAsync(urn, modelGuid, DerivativeFiles.Tree, caller, db, files, ct);
        var (tree, error) = await ReadAsync(urn, modelGuid, DerivativeFiles.Tree, caller, db, files, ct);
        if (error is not null) return error;
        var found = Find(tree!["data"]!["objects"]!.AsArray(), id.Value);
        if (found is null) return MdErrors.NotFound($"The model view has no object {id}.");
        var node = found.DeepClone().AsObject();
        if (level == "1" && node["objects"] is JsonArray children)
            foreach (var child in children) child!.AsObject().Remove("objects");
        return TypedResults.Json(new JsonObject { ["data"] = new JsonObject { ["type"] = "objects", ["objects"] = new JsonArray(node) } });
    }

    /// <summary>Every object's properties, in object id order, or one object's with <c>objectid</c>.</summary>
    public static async Task<IResult> GetProperties(string urn, string modelGuid, string? objectid, string? forceget,
        Caller caller, ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        if (!TryObjectId(objectid, out var id)) return MdErrors.BadInput("objectid must be a positive integer.");
        if (!JobEndpoint.TryFlag(forceget, out _)) return MdErrors.BadInput("forceget must be true or false.");
        if (id is null) return await StreamAsync(urn, modelGuid, DerivativeFiles.Properties, caller, db, files, ct);
        var (properties, error) = await ReadAsync(urn, modelGuid, DerivativeFiles.Properties, caller, db, files, ct);
        if (error is not null) return error;
        var collection = properties!["data"]!["collection"]!.AsArray();
        var one = collection.Where(p => p!["objectid"]!.GetValue<int>() == id).Select(p => p!.DeepClone()).ToArray();
        if (one.Length == 0) return MdErrors.NotFound($"The model view has no object {id}.");
        return TypedResults.Json(new JsonObject { ["data"] = new JsonObject { ["type"] = "properties", ["collection"] = new JsonArray(one) } });
    }

    /// <summary>A stored body of a model view of a translated design, parsed; 202 while it is translated.</summary>
    public static async Task<(JsonNode? Body, IResult? Error)> ReadAsync(string urn, string modelGuid, string file, Caller caller,
        ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        var (content, error) = await OpenAsync(urn, modelGuid, file, caller, db, files, ct);
        if (content is null) return (null, error);
        await using (content) return (await JsonNode.ParseAsync(content.Body, cancellationToken: ct), null);
    }

    /// <summary>A stored body served as it was stored (already APS's JSON): a large model's tree is never held in memory.</summary>
    private static async Task<IResult> StreamAsync(string urn, string modelGuid, string file, Caller caller, ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        var (content, error) = await OpenAsync(urn, modelGuid, file, caller, db, files, ct);
        return content is null ? error! : TypedResults.Stream(content.Body, "application/json; charset=utf-8");
    }

    private static async Task<(ObjectContent? Content, IResult? Error)> OpenAsync(string urn, string modelGuid, string file, Caller caller,
        ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        var (_, manifest, error) = await ManifestEndpoints.FindAsync(urn, caller, db, ct);
        if (error is not null) return (null, error);
        if (!string.Equals(modelGuid, ManifestJson.ViewGuid(manifest!), StringComparison.OrdinalIgnoreCase))
            return (null, MdErrors.NotFound("The design has no model view of that guid."));
        if (manifest!.Status is ManifestStatus.Pending or ManifestStatus.InProgress)
            return (null, TypedResults.Json(new { result = "success" }, statusCode: StatusCodes.Status202Accepted));
        if (manifest.Status != ManifestStatus.Success) return (null, MdErrors.NotFound("The design's translation failed: it has no model view."));
        var content = await files.OpenAsync(caller.OrgId, manifest.Generation, file, ct);
        return content is null ? (null, MdErrors.NotFound("The model view's data was deleted.")) : (content, null);
    }

    private static JsonObject? Find(JsonArray objects, int id)
    {
        var pending = new Stack<JsonNode?>(objects);
        while (pending.TryPop(out var node))
        {
            if (node is not JsonObject o) continue;
            if (o["objectid"]?.GetValue<int>() == id) return o;
            if (o["objects"] is JsonArray children) foreach (var child in children) pending.Push(child);
        }
        return null;
    }

    private static bool TryObjectId(string? value, out int? id)
    {
        id = null;
        if (value is null) return true;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return false;
        id = n;
        return true;
    }
}
