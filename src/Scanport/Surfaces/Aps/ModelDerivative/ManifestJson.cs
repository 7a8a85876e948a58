using System.Text.Json.Nodes;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// A manifest in APS's shape: one derivative per output type asked for; <c>svf</c> and <c>svf2</c> derivatives hold one 3D
/// view (<c>geometry</c>) whose graphics are the binary glTF (<c>model/gltf-binary</c>, where APS has its SVF) and whose
/// thumbnails are the 100, 200 and 400 pixel PNGs. Flags are strings, as APS writes them.
/// </summary>
internal static class ManifestJson
{
    public static string ViewGuid(DerivativeManifest m) => DerivativeFiles.Guid(m.Generation, "view");

    public static IEnumerable<int> Thumbnails(DerivativeManifest m) =>
        m.Thumbnails.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);

    public static JsonObject Build(DerivativeManifest m, DesignSource source)
    {
        var success = m.Status == ManifestStatus.Success;
        var hasThumbnail = success && Thumbnails(m).Any();
        var progress = ManifestStatus.IsFinal(m.Status) ? "complete" : ManifestStatus.Percent(m.Progress);
        var manifest = new JsonObject
        {
            ["type"] = "manifest",
            ["hasThumbnail"] = Flag(hasThumbnail),
            ["status"] = m.Status,
            ["progress"] = progress,
            ["region"] = m.Region,
            ["urn"] = m.Urn,
            ["version"] = "1.0",
            ["derivatives"] = new JsonArray(m.OutputTypes.Split(',').Select(type => (JsonNode)Derivative(m, source, type, progress)).ToArray()),
        };
        if (m.Failure is not null) manifest["messages"] = Messages(m);
        return manifest;
    }

    private static JsonObject Derivative(DerivativeManifest m, DesignSource source, string type, string progress)
    {
        var success = m.Status == ManifestStatus.Success;
        var derivative = new JsonObject
        {
            ["name"] = m.SourceName,
            ["hasThumbnail"] = Flag(success && Thumbnails(m).Any()),
            ["status"] = m.Status,
            ["progress"] = progress,
            ["outputType"] = type,
        };
        if (m.Failure is not null) derivative["messages"] = Messages(m);
        if (!success) return derivative;
        var thumbnails = Thumbnails(m).Select(size => (JsonNode)new JsonObject
        {
            ["guid"] = DerivativeFiles.Guid(m.Generation, $"thumbnail-{size}"),
            ["type"] = "resource",
            ["role"] = "thumbnail",
            ["mime"] = "image/png",
            ["urn"] = DesignUrns.Derivative(source, DerivativeFiles.Thumbnail(size)),
            ["resolution"] = new JsonArray(size, size),
            ["status"] = "success",
        });
        if (type == "thumbnail")
        {
            derivative["children"] = new JsonArray(thumbnails.ToArray());
            return derivative;
        }
        var view = ViewGuid(m);
        derivative["children"] = new JsonArray(new JsonObject
        {
            ["guid"] = view,
            ["type"] = "geometry",
            ["role"] = "3d",
            ["name"] = m.SourceName,
            ["viewableID"] = view,
            ["hasThumbnail"] = Flag(Thumbnails(m).Any()),
            ["status"] = "success",
            ["progress"] = "complete",
            ["children"] = new JsonArray(thumbnails.Prepend(new JsonObject
            {
                ["guid"] = DerivativeFiles.Guid(m.Generation, "graphics"),
                ["type"] = "resource",
                ["role"] = "graphics",
                ["mime"] = "model/gltf-binary",
                ["urn"] = DesignUrns.Derivative(source, DerivativeFiles.Model),
                ["status"] = "success",
            }).ToArray()),
        });
        return derivative;
    }

    private static JsonArray Messages(DerivativeManifest m) => new(new JsonObject
    {
        ["type"] = "error",
        ["code"] = m.Status == ManifestStatus.Timeout ? "Scanport-TranslationTimeout" : "Scanport-TranslationFailed",
        ["message"] = m.Failure,
    });

    private static string Flag(bool value) => value ? "true" : "false";
}
