using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using SharpGLTF.Schema2;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Numbers the nodes of the translated model depth-first from 1 (the object ids of the tree, the properties and the
/// glTF's <c>extras.objectid</c>, so a viewer's pick maps back to properties) and gathers each object's properties:
/// what the source said of it, and the geometry of its subtree.
/// </summary>
internal static class ObjectTree
{
    public const string GeometryGroup = "Geometry";
    public const string MaterialsGroup = "Materials and Finishes";

    /// <summary>Deepest nesting of nodes translated: the walks are recursive, and a hostile file may nest without end.</summary>
    public const int MaxDepth = 256;

    /// <summary>How deep the model's nodes nest, counted without recursion, up to just past <see cref="MaxDepth"/>.</summary>
    public static int Depth(ModelRoot model)
    {
        var deepest = 0;
        var pending = new Stack<(Node Node, int Depth)>(model.LogicalNodes.Where(n => n.VisualParent is null).Select(n => (n, 1)));
        while (pending.TryPop(out var entry) && deepest <= MaxDepth)
        {
            deepest = Math.Max(deepest, entry.Depth);
            foreach (var child in entry.Node.VisualChildren) pending.Push((child, entry.Depth + 1));
        }
        return deepest;
    }

    public static (ModelObject Root, IReadOnlyList<ObjectProperties> Properties) Build(
        ModelRoot model, IReadOnlyDictionary<int, ObjectFacts> facts, ModelGeometry geometry, string modelName)
    {
        var properties = new List<ObjectProperties>();
        var nextId = 1;

        (ModelObject Object, MeshStats Stats) Visit(Node node, bool isRoot)
        {
            var id = nextId++;
            node.Extras = new JsonObject { ["objectid"] = id };
            var name = node.Name is { Length: > 0 } ? node.Name : node.Mesh?.Name is { Length: > 0 } ? node.Mesh.Name : isRoot ? modelName : $"Object {id}";
            var stats = new MeshStats();
            if (geometry.ByNode.TryGetValue(node.LogicalIndex, out var own)) stats.Add(own);
            var children = new List<ModelObject>();
            foreach (var child in node.VisualChildren)
            {
                var (childObject, childStats) = Visit(child, isRoot: false);
                children.Add(childObject);
                stats.Add(childStats);
            }
            var known = facts.GetValueOrDefault(node.LogicalIndex);
            properties.Add(new ObjectProperties(id, name, known?.ExternalId, Groups(known, stats)));
            return (new ModelObject(id, name, known?.ExternalId, children), stats);
        }

        var roots = model.DefaultScene?.VisualChildren.ToList() ?? [];
        ModelObject root;
        if (roots.Count == 1)
        {
            root = Visit(roots[0], isRoot: true).Object;
        }
        else
        {
            // glTF allows several root nodes; an object tree has one root, the model itself.
            nextId = 2;
            var stats = new MeshStats();
            var children = roots.Select(r => Visit(r, isRoot: false)).Select(v => { stats.Add(v.Stats); return v.Object; }).ToList();
            properties.Add(new ObjectProperties(1, modelName, null, Groups(null, stats)));
            root = new ModelObject(1, modelName, null, children);
        }
        return (root, properties.OrderBy(p => p.ObjectId).ToList());
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Groups(ObjectFacts? known, MeshStats stats)
    {
        var groups = new Dictionary<string, IReadOnlyDictionary<string, string>>(known?.Groups ?? new Dictionary<string, IReadOnlyDictionary<string, string>>());
        if (stats.Triangles == 0) return groups;
        groups[GeometryGroup] = new Dictionary<string, string>
        {
            ["Triangles"] = stats.Triangles.ToString(CultureInfo.InvariantCulture),
            ["Vertices"] = stats.Vertices.ToString(CultureInfo.InvariantCulture),
            ["Bounding box min"] = Point(stats.Min),
            ["Bounding box max"] = Point(stats.Max),
        };
        if (stats.Materials.Count > 0) groups[MaterialsGroup] = new Dictionary<string, string> { ["Material"] = string.Join(", ", stats.Materials) };
        return groups;
    }

    private static string Point(Vector3 p) => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.######}, {p.Y:0.######}, {p.Z:0.######}");
}
