using Scanport.ModelDerivatives;

namespace Scanport.Tests.ModelDerivatives;

/// <summary>The mesh formats, through assimp, against what each hand-written file in Models/ holds.</summary>
public sealed class MeshTranslationTests : TranslationTest
{
    [Fact]
    public async Task Obj_groups_become_objects_with_their_triangles_and_materials()
    {
        var model = await SucceedsAsync("house.obj");

        Assert.Equal("house.obj", model.Root.Name);
        Assert.Equal(["Walls", "Roof"], model.Root.Children.Select(c => c.Name));
        var walls = Find(model.Root, "Walls");
        var roof = Find(model.Root, "Roof");
        Assert.Equal(8, Triangles(model, walls)); // four quads
        Assert.Equal(4, Triangles(model, roof));
        Assert.Equal(12, Triangles(model, model.Root));
        Assert.Equal("Brick", Group(model, walls, ObjectTree.MaterialsGroup)["Material"]);
        Assert.Equal("Tiles", Group(model, roof, ObjectTree.MaterialsGroup)["Material"]);
        Assert.Equal("0, 0, 0", Group(model, model.Root, "Geometry")["Bounding box min"]);
        Assert.Equal("2, 2, 2", Group(model, model.Root, "Geometry")["Bounding box max"]);
        Assert.Equal(5, int.Parse(Group(model, roof, "Geometry")["Vertices"]));
    }

    [Fact]
    public async Task The_glb_carries_the_tree_with_object_ids_on_its_nodes()
    {
        var model = await SucceedsAsync("house.obj");

        var gltf = Gltf(model);
        var nodes = gltf.LogicalNodes.ToDictionary(n => n.Name ?? "", n => n.Extras?["objectid"]?.GetValue<int>());
        Assert.Equal(model.Root.ObjectId, nodes["house.obj"]);
        Assert.Equal(Find(model.Root, "Walls").ObjectId, nodes["Walls"]);
        Assert.Equal(Find(model.Root, "Roof").ObjectId, nodes["Roof"]);
        Assert.Equal(12, gltf.LogicalMeshes.SelectMany(m => m.Primitives).Sum(p => p.GetTriangleIndices().Count()));
        Assert.Equal(Enumerable.Range(1, 3), model.Properties.Select(p => p.ObjectId));
    }

    [Fact]
    public async Task Stl_translates_to_its_four_facets()
    {
        var model = await SucceedsAsync("tetrahedron.stl");

        Assert.Equal(4, Triangles(model, model.Root));
        Assert.Equal("tetrahedron", Find(model.Root, "tetrahedron").Name);
        Assert.Equal("1, 1, 1", Group(model, model.Root, "Geometry")["Bounding box max"]);
    }

    [Fact]
    public async Task Ply_translates_with_its_faces_and_vertices()
    {
        var model = await SucceedsAsync("pyramid.ply");

        Assert.Equal("pyramid.ply", model.Root.Name); // the file has no names: the model is named after it
        Assert.Equal(6, Triangles(model, model.Root));
        Assert.Equal(5, int.Parse(Group(model, model.Root, "Geometry")["Vertices"]));
    }

    [Fact]
    public async Task Ascii_fbx_keeps_its_model_hierarchy_and_placement()
    {
        var model = await SucceedsAsync("crate.fbx");

        var shelf = Find(model.Root, "Shelf");
        Assert.Equal(["Crate"], shelf.Children.Select(c => c.Name));
        Assert.Equal(12, Triangles(model, shelf));
        // The shelf's translation (0, 2, 0) moves the unit cube up.
        Assert.Equal("0, 2, 0", Group(model, shelf, "Geometry")["Bounding box min"]);
        Assert.Equal("1, 3, 1", Group(model, shelf, "Geometry")["Bounding box max"]);
    }

    [Fact]
    public async Task Gltf_keeps_its_nodes_and_material()
    {
        var model = await SucceedsAsync("signpost.gltf");

        var signpost = Find(model.Root, "Signpost");
        Assert.Equal(["Board"], signpost.Children.Select(c => c.Name));
        Assert.Equal(2, Triangles(model, signpost));
        Assert.Equal("Red paint", Group(model, Find(model.Root, "Board"), ObjectTree.MaterialsGroup)["Material"]);
        Assert.Equal("1, 2.5, 0", Group(model, signpost, "Geometry")["Bounding box max"]);
    }

    [Fact]
    public async Task Glb_made_from_the_gltf_translates_the_same()
    {
        var gltf = await SucceedsAsync("signpost.gltf");
        var glbFolder = NewOutputFolder();
        var glb = Path.Combine(glbFolder, "signpost.glb");
        File.Copy(gltf.ModelPath, glb);

        var result = await Translator().TranslateAsync(glb, "glb", NewOutputFolder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(2, Triangles(result.Model!, Find(result.Model!.Root, "Board")));
    }

    [Fact]
    public async Task Collada_keeps_its_nodes_and_material()
    {
        var model = await SucceedsAsync("bracket.dae");

        var bracket = Find(model.Root, "Bracket");
        Assert.Equal(["Plate"], bracket.Children.Select(c => c.Name));
        Assert.Equal(2, Triangles(model, bracket));
        Assert.Equal("Paint", Group(model, Find(model.Root, "Plate"), ObjectTree.MaterialsGroup)["Material"]);
    }

    [Fact]
    public async Task A_file_without_its_extension_is_read_as_the_format_given()
    {
        var folder = NewOutputFolder();
        var stored = Path.Combine(folder, "object-7f3a");
        File.Copy(Path.Combine(Models, "tetrahedron.stl"), stored);

        var result = await Translator().TranslateAsync(stored, "STL", NewOutputFolder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(4, Triangles(result.Model!, result.Model!.Root));
    }
}
