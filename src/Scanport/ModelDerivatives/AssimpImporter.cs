using System.Text.Json;
using SharpGLTF.Schema2;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Reads the mesh formats (OBJ with its MTL, STL, PLY, ASCII FBX, glTF/GLB, DAE) by letting assimp convert them to
/// glTF binary in a separate, capped process, then loading that with SharpGLTF: no parser of a user's file runs in
/// the host.
/// </summary>
internal sealed class AssimpImporter(ConverterProcess converter, string assimp)
{
    public static readonly IReadOnlySet<string> Formats = new HashSet<string> { "obj", "stl", "ply", "fbx", "gltf", "glb", "dae" };

    public async Task<ImportedModel> ImportAsync(string inputPath, string format, string workFolder, CancellationToken ct)
    {
        if (format is "gltf" or "glb" && OutsideReference(inputPath) is { } refused) return ImportedModel.Failed(refused);
        var glb = Path.Combine(workFolder, "assimp.glb");
        var failure = await converter.RunAsync("assimp", assimp, ["export", NamedForFormat(inputPath, format, workFolder), glb, "-f", "glb2"], ct);
        if ((failure ?? converter.CheckOutput("assimp", glb)) is { } unusable) return ImportedModel.Failed(unusable);
        try
        {
            var sourceFolder = Path.GetDirectoryName(Path.GetFullPath(inputPath))!;
            var context = ReadContext.Create(name => SourceFiles.ReadTexture(sourceFolder, name));
            context.Validation = SharpGLTF.Validation.ValidationMode.TryFix;
            await using var stream = File.OpenRead(glb);
            return new ImportedModel(context.ReadBinarySchema2(stream), new Dictionary<int, ObjectFacts>(), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever assimp made of a hostile file is hostile too: any failure to read it is the file's, not ours.
            return ImportedModel.Failed($"The converted model could not be read: {e.Message}");
        }
    }

    private static string? OutsideReference(string gltfPath)
    {
        try
        {
            return SourceFiles.FirstOutsideReference(gltfPath) is { } name
                ? $"The glTF refers to '{name}', which is not a file beside it: only embedded data and files in its own folder are read."
                : null;
        }
        catch (JsonException e)
        {
            return $"The glTF's JSON is not valid: {e.Message}";
        }
    }

    /// <summary>
    /// assimp picks its reader by the file's extension; a stored object may have none. A file already named for its
    /// format is used where it is, so that an OBJ still finds the MTL beside it.
    /// </summary>
    private static string NamedForFormat(string inputPath, string format, string workFolder)
    {
        if (string.Equals(Path.GetExtension(inputPath), "." + format, StringComparison.OrdinalIgnoreCase)) return inputPath;
        var link = Path.Combine(workFolder, "source." + format);
        File.CreateSymbolicLink(link, Path.GetFullPath(inputPath));
        return link;
    }
}
