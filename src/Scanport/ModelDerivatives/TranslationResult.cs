namespace Scanport.ModelDerivatives;

/// <summary>
/// How a translation ended. A file that cannot be translated (corrupt, truncated, unsupported, too slow, too big) is a
/// failed result with a message for the user, never an exception.
/// </summary>
public sealed record TranslationResult(bool Succeeded, string? FailureMessage, TranslatedModel? Model)
{
    internal static TranslationResult Failed(string message) => new(false, message, null);
}

/// <summary>What a successful translation wrote into the output folder, and the object tree and properties it found.</summary>
/// <param name="ModelPath">The binary glTF (<c>model.glb</c>); each node carries its object id in <c>extras.objectid</c>.</param>
/// <param name="Root">The object tree: the model, its groups and elements, names and hierarchy as the source has them.</param>
/// <param name="Properties">Properties of every object, by object id order.</param>
/// <param name="Thumbnails">The PNG thumbnails, smallest first.</param>
public sealed record TranslatedModel(
    string ModelPath, ModelObject Root, IReadOnlyList<ObjectProperties> Properties, IReadOnlyList<Thumbnail> Thumbnails);

/// <summary>One object of the tree. <paramref name="ExternalId"/> is the source's own id where it has one (IFC GlobalId).</summary>
public sealed record ModelObject(int ObjectId, string Name, string? ExternalId, IReadOnlyList<ModelObject> Children);

/// <summary>The properties of one object, in named groups (an IFC property set, or <c>Geometry</c> for meshes).</summary>
public sealed record ObjectProperties(
    int ObjectId, string Name, string? ExternalId, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Groups);

/// <summary>A square PNG thumbnail of <paramref name="Size"/> pixels a side.</summary>
public sealed record Thumbnail(int Size, string Path);
