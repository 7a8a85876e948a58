using System.Numerics;
using System.Runtime.InteropServices;
using SharpGLTF.Memory;
using SharpGLTF.Schema2;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Builds the glTF of an IFC model: a node per object of the spatial structure, named as the file names it, holding
/// the element's geometry (one primitive per colour); its GlobalId, type and property sets become the object's facts.
/// </summary>
internal static class IfcGltf
{
    public const string IfcGroup = "IFC";

    public static ImportedModel Build(IfcDocument document)
    {
        var model = ModelRoot.CreateModel();
        var meshes = document.Meshes.ToLookup(m => m.Id);
        var materials = new Dictionary<Vector4, Material>();
        var facts = new Dictionary<int, ObjectFacts>();

        void Add(IfcObject source, Node node, bool isRoot)
        {
            var pieces = meshes[source.Id].SelectMany(m => m.Pieces).Where(IsWhole).ToList();
            if (pieces.Count > 0)
            {
                var mesh = model.CreateMesh(node.Name);
                foreach (var piece in pieces) AddPrimitive(model, mesh, piece, materials);
                node.Mesh = mesh;
            }
            facts[node.LogicalIndex] = new ObjectFacts(source.GlobalId, Groups(document, source, isRoot));
            foreach (var child in source.Children) Add(child, node.CreateNode(Name(child)), isRoot: false);
        }

        Add(document.Root, model.UseScene("model").CreateNode(Name(document.Root)), isRoot: true);
        return new ImportedModel(model, facts, null);
    }

    private static string Name(IfcObject o) => o.Name ?? o.Type;

    /// <summary>Triangles whose every index names a vertex, with a normal per vertex and an RGBA colour.</summary>
    private static bool IsWhole(IfcMeshPiece piece) =>
        piece.Indices.Length > 0 && piece.Indices.Length % 3 == 0 && piece.Positions.Length % 3 == 0
        && piece.Normals.Length == piece.Positions.Length && piece.Color.Length == 4
        && piece.Indices.All(i => i >= 0 && i < piece.Positions.Length / 3);

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Groups(IfcDocument document, IfcObject source, bool isRoot)
    {
        var ifc = new Dictionary<string, string> { ["Type"] = source.Type };
        if (source.GlobalId is not null) ifc["GlobalId"] = source.GlobalId;
        if (isRoot) ifc["Schema"] = document.Schema;
        var groups = new Dictionary<string, IReadOnlyDictionary<string, string>> { [IfcGroup] = ifc };
        foreach (var set in document.PropertySets.GetValueOrDefault(source.Id) ?? []) groups[set.Name] = set.Properties;
        return groups;
    }

    private static void AddPrimitive(ModelRoot model, Mesh mesh, IfcMeshPiece piece, Dictionary<Vector4, Material> materials)
    {
        var vertexCount = piece.Positions.Length / 3;
        var primitive = mesh.CreatePrimitive();
        primitive.Material = MaterialFor(model, new Vector4(piece.Color[0], piece.Color[1], piece.Color[2], piece.Color[3]), materials);
        var vec3 = new AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false);
        primitive.SetVertexAccessor("POSITION", VertexAccessor(model, piece.Positions, vertexCount, vec3));
        primitive.SetVertexAccessor("NORMAL", VertexAccessor(model, piece.Normals, vertexCount, vec3));

        var indices = model.CreateAccessor();
        var bytes = MemoryMarshal.AsBytes(piece.Indices.AsSpan()).ToArray();
        indices.SetIndexData(model.UseBufferView(bytes, 0, null, 0, BufferMode.ELEMENT_ARRAY_BUFFER), 0, piece.Indices.Length, IndexEncodingType.UNSIGNED_INT);
        primitive.SetIndexAccessor(indices);
    }

    private static Accessor VertexAccessor(ModelRoot model, float[] values, int count, AttributeFormat format)
    {
        var accessor = model.CreateAccessor();
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        accessor.SetVertexData(model.UseBufferView(bytes, 0, null, 0, BufferMode.ARRAY_BUFFER), 0, count, format);
        return accessor;
    }

    /// <summary>One material per colour the file uses (IFC styles have colours, rarely names worth showing).</summary>
    private static Material MaterialFor(ModelRoot model, Vector4 colour, Dictionary<Vector4, Material> materials)
    {
        if (materials.TryGetValue(colour, out var known)) return known;
        var material = model.CreateMaterial($"IFC colour {materials.Count + 1}");
        material.InitializePBRMetallicRoughness();
        var baseColour = material.FindChannel("BaseColor")!.Value;
        baseColour.Color = colour;
        material.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0);
        material.DoubleSided = true;
        if (colour.W < 1) material.Alpha = AlphaMode.BLEND;
        return materials[colour] = material;
    }
}
