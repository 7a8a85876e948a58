using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scanport.Data;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// <c>POST .../metadata/{guid}/properties:query</c>, APS's "Fetch Specific Properties": one query operator over the
/// stored properties (<c>$in</c> on objectid or externalId, <c>$prefix</c> and <c>$eq</c> on the name, <c>$eq</c>,
/// <c>$between</c>, <c>$le</c>, <c>$ge</c> on a numeric <c>properties.Group.Name</c>, <c>$contains</c> words of a
/// property), the <c>fields</c> to return, and offset/limit pagination.
/// </summary>
internal static class PropertiesQuery
{
    public static async Task<IResult> Query(string urn, string modelGuid, JsonElement body, Caller caller, ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object) return MdErrors.BadInput("The body must be a JSON object with query, fields and pagination.");
        var (offset, limit) = (0, 20);
        if (body.TryGetProperty("pagination", out var pagination))
        {
            if (pagination.ValueKind != JsonValueKind.Object) return MdErrors.BadInput("pagination must be an object.");
            if (pagination.TryGetProperty("offset", out var o) && (!o.TryGetInt32(out offset) || offset < 0)) return MdErrors.BadInput("pagination.offset must be a whole number, 0 or more.");
            if (pagination.TryGetProperty("limit", out var l) && (!l.TryGetInt32(out limit) || limit is < 1 or > 1000)) return MdErrors.BadInput("pagination.limit must be from 1 to 1000.");
        }
        Func<JsonObject, bool> match = _ => true;
        if (body.TryGetProperty("query", out var query) && Matcher(query) is var (matcher, failure))
        {
            if (matcher is null) return MdErrors.BadInput(failure!);
            match = matcher;
        }
        string[]? fields = null;
        if (body.TryGetProperty("fields", out var f))
        {
            if (f.ValueKind != JsonValueKind.Array || f.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String)) return MdErrors.BadInput("fields must be an array of strings.");
            fields = f.EnumerateArray().Select(e => e.GetString()!).ToArray();
        }

        var (properties, readError) = await MetadataEndpoints.ReadAsync(urn, modelGuid, DerivativeFiles.Properties, caller, db, files, ct);
        if (readError is not null) return readError;
        var matching = properties!["data"]!["collection"]!.AsArray().OfType<JsonObject>().Where(match).ToList();
        var page = matching.Skip(offset).Take(limit).Select(p => (JsonNode)Project(p, fields)).ToArray();
        return TypedResults.Json(new JsonObject
        {
            ["pagination"] = new JsonObject { ["limit"] = limit, ["offset"] = offset, ["totalResults"] = matching.Count },
            ["data"] = new JsonObject { ["type"] = "properties", ["collection"] = new JsonArray(page) },
        });
    }

    private static (Func<JsonObject, bool>? Match, string? Failure) Matcher(JsonElement query)
    {
        if (query.ValueKind != JsonValueKind.Object || query.EnumerateObject().Count() != 1) return (null, "query must be an object with one operator.");
        var op = query.EnumerateObject().Single();
        var args = op.Value.ValueKind == JsonValueKind.Array ? op.Value.EnumerateArray().ToArray() : [];
        if (args.Length < 2 || args[0].ValueKind != JsonValueKind.String) return (null, $"{op.Name} takes an array: the attribute's name, then the values.");
        var attribute = args[0].GetString()!;
        switch (op.Name)
        {
            case "$in" when attribute is "objectid" or "externalId":
                var values = args.Skip(1).Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : a.GetRawText()).ToHashSet();
                return (p => p[attribute] is { } v && values.Contains(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()), null);
            case "$prefix" when attribute == "name" && args.Length == 2 && args[1].ValueKind == JsonValueKind.String:
                var prefix = args[1].GetString()!;
                return (p => p["name"]?.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal) == true, null);
            case "$eq" when attribute == "name" && args.Length == 2 && args[1].ValueKind == JsonValueKind.String:
                var name = args[1].GetString();
                return (p => p["name"]?.GetValue<string>() == name, null);
            case "$eq" or "$le" or "$ge" when args.Length == 2 && args[1].ValueKind == JsonValueKind.Number:
                var x = args[1].GetDouble();
                return (p => Number(p, attribute) is { } n && (op.Name == "$eq" ? n == x : op.Name == "$le" ? n <= x : n >= x), null);
            case "$between" when args.Length == 3 && args[1].ValueKind == JsonValueKind.Number && args[2].ValueKind == JsonValueKind.Number:
                var (low, high) = (args[1].GetDouble(), args[2].GetDouble());
                return (p => Number(p, attribute) is { } n && n >= low && n <= high, null);
            case "$contains" when args.Length == 2 && args[1].ValueKind == JsonValueKind.String:
                var words = args[1].GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(50).ToArray();
                return (p => Text(p, attribute) is { } t && words.All(w => t.Contains(w, StringComparison.OrdinalIgnoreCase)), null);
            default:
                return (null, $"The query operator {op.Name} with these arguments is not supported.");
        }
    }

    /// <summary>A property by its path (<c>name</c>, or <c>properties.Group.Name</c>) as text.</summary>
    private static string? Text(JsonObject p, string path)
    {
        if (path == "name") return p["name"]?.GetValue<string>();
        var parts = path.Split('.', 3);
        return parts.Length == 3 && parts[0] == "properties" && p["properties"]?[parts[1]]?[parts[2]] is JsonValue v ? v.ToString() : null;
    }

    private static double? Number(JsonObject p, string path) =>
        double.TryParse(Text(p, path), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The object with only the asked fields (all of them without <c>fields</c>).</summary>
    private static JsonObject Project(JsonObject p, string[]? fields)
    {
        if (fields is null) return p.DeepClone().AsObject();
        var result = new JsonObject();
        foreach (var top in new[] { "objectid", "name", "externalId" })
            if (fields.Contains(top) && p[top] is { } value) result[top] = value.DeepClone();
        if (p["properties"] is not JsonObject groups) return result;
        var kept = new JsonObject();
        foreach (var (group, values) in groups)
        {
            if (values is not JsonObject entries) continue;
            var keptGroup = new JsonObject();
            foreach (var (name, value) in entries)
                if (fields.Any(field => Selects(field, group, name))) keptGroup[name] = value?.DeepClone();
            if (keptGroup.Count > 0) kept[group] = keptGroup;
        }
        if (kept.Count > 0) result["properties"] = kept;
        return result;
    }

    /// <summary><c>properties</c>, <c>properties.Group</c>, <c>properties.Gr*</c>, <c>properties.Group.*</c>, <c>properties.*.Name</c>, <c>properties.Group.Name</c>.</summary>
    private static bool Selects(string field, string group, string name)
    {
        if (field == "properties") return true;
        if (!field.StartsWith("properties.", StringComparison.Ordinal)) return false;
        var rest = field["properties.".Length..];
        static bool Like(string pattern, string value) =>
            pattern == "*" || (pattern.EndsWith('*') ? value.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == value);
        if (Like(rest, group)) return true;
        var dot = rest.IndexOf('.');
        return dot > 0 && Like(rest[..dot], group) && Like(rest[(dot + 1)..], name);
    }
}
