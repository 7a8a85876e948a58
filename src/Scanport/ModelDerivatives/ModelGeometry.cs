using System.Numerics;
using SharpGLTF.Schema2;

namespace Scanport.ModelDerivatives;

/// <summary>A triangle in model (world) coordinates, with the base colour of its material.</summary>
internal readonly record struct Triangle(Vector3 A, Vector3 B, Vector3 C, Vector3 Colour);

/// <summary>Triangles, vertices, bounds and material names of some geometry.</summary>
internal sealed class MeshStats
{
    public int Triangles { get; private set; }
    public int Vertices { get; private set; }
    public Vector3 Min { get; private set; } = new(float.PositiveInfinity);
    public Vector3 Max { get; private set; } = new(float.NegativeInfinity);
    public SortedSet<string> Materials { get; } = new(StringComparer.Ordinal);

    public void AddTriangle(Triangle t)
    {
        Triangles++;
        Min = Vector3.Min(Min, Vector3.Min(t.A, Vector3.Min(t.B, t.C)));
        Max = Vector3.Max(Max, Vector3.Max(t.A, Vector3.Max(t.B, t.C)));
    }

    public void AddVertices(int count) => Vertices += count;

    public void Add(MeshStats other)
    {
        Triangles += other.Triangles;
        Vertices += other.Vertices;
        Min = Vector3.Min(Min, other.Min);
        Max = Vector3.Max(Max, other.Max);
        Materials.UnionWith(other.Materials);
    }
}

/// <summary>
/// Every triangle of a glTF model placed in world coordinates, read once for both the thumbnails and the geometry
/// properties of each node.
/// </summary>
internal sealed class ModelGeometry
{
    private static readonly Vector3 Grey = new(0.7f);

    public List<Triangle> Triangles { get; } = [];

    /// <summary>What each node's own mesh holds, by node index (children not included).</summary>
    public Dictionary<int, MeshStats> ByNode { get; } = [];

    public static ModelGeometry Read(ModelRoot model)
    {
        var geometry = new ModelGeometry();
        foreach (var node in model.LogicalNodes.Where(n => n.Mesh is not null))
        {
            var world = node.WorldMatrix;
            var stats = new MeshStats();
            foreach (var primitive in node.Mesh.Primitives)
            {
                if (primitive.GetVertexAccessor("POSITION")?.AsVector3Array() is not { } positions) continue;
                stats.AddVertices(positions.Count);
                if (primitive.Material?.Name is { Length: > 0 } material) stats.Materials.Add(material);
                var colour = BaseColour(primitive.Material);
                // Each vertex placed once, not once for every triangle that shares it.
                var placed = new Vector3[positions.Count];
                for (var i = 0; i < placed.Length; i++) placed[i] = Vector3.Transform(positions[i], world);
                foreach (var (a, b, c) in primitive.GetTriangleIndices())
                {
                    if ((uint)a >= (uint)placed.Length || (uint)b >= (uint)placed.Length || (uint)c >= (uint)placed.Length)
                        continue; // a converter's output is no more trusted than its input
                    var triangle = new Triangle(placed[a], placed[b], placed[c], colour);
                    geometry.Triangles.Add(triangle);
                    stats.AddTriangle(triangle);
                }
            }
            geometry.ByNode[node.LogicalIndex] = stats;
        }
        return geometry;
    }

    /// <summary>The metallic-roughness base colour, or the diffuse colour of older specular-glossiness materials.</summary>
    private static Vector3 BaseColour(Material? material)
    {
        var channel = material?.FindChannel("BaseColor") ?? material?.FindChannel("Diffuse");
        return channel is { } found ? new Vector3(found.Color.X, found.Color.Y, found.Color.Z) : Grey;
    }
}
