using System.Text.Json;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Reads IFC (2x3 and 4) with web-ifc, in Node, in a separate capped process (<c>tools/ifc/ifc-to-json.mjs</c>), and
/// builds the glTF from what it reports, so that glTF is written by one library whatever the source.
/// </summary>
internal sealed class IfcImporter(ConverterProcess converter, string node, string? configuredReader)
{
    public const string Format = "ifc";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ImportedModel> ImportAsync(string inputPath, string workFolder, CancellationToken ct)
    {
        var output = Path.Combine(workFolder, "ifc.json");
        var failure = await converter.RunAsync("The IFC reader", node, [FindReader(configuredReader), Path.GetFullPath(inputPath), output], ct);
        if ((failure ?? converter.CheckOutput("The IFC reader", output)) is { } unusable) return ImportedModel.Failed(unusable);

        IfcDocument? document;
        try
        {
            await using var stream = File.OpenRead(output);
            document = await JsonSerializer.DeserializeAsync<IfcDocument>(stream, Json, ct);
        }
        catch (JsonException e)
        {
            return ImportedModel.Failed($"The IFC reader's output could not be read: {e.Message}");
        }
        return document?.Root is null ? ImportedModel.Failed("The IFC reader found no spatial structure.") : IfcGltf.Build(document);
    }

    /// <summary>The configured reader, or <c>tools/ifc/ifc-to-json.mjs</c> in the first folder above the app that has it.</summary>
    private static string FindReader(string? configured)
    {
        if (configured is not null) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "ifc", "ifc-to-json.mjs");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "The IFC reader tools/ifc/ifc-to-json.mjs was not found above the app; set ModelDerivatives:IfcReader.");
    }
}
