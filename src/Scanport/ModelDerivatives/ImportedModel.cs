using SharpGLTF.Schema2;

namespace Scanport.ModelDerivatives;

/// <summary>
/// A source file read into glTF, with what the source knew about its nodes beyond geometry (by node index), or why it
/// could not be read.
/// </summary>
internal sealed record ImportedModel(ModelRoot? Gltf, IReadOnlyDictionary<int, ObjectFacts> Facts, string? Failure)
{
    public static ImportedModel Failed(string message) => new(null, new Dictionary<int, ObjectFacts>(), message);
}

/// <summary>A source object's own id (IFC GlobalId) and property groups (IFC property sets).</summary>
internal sealed record ObjectFacts(string? ExternalId, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Groups);
