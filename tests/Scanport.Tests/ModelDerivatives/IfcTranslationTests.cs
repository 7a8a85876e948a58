using Scanport.ModelDerivatives;

namespace Scanport.Tests.ModelDerivatives;

/// <summary>IFC through web-ifc, against the hand-written cabin (the same building in IFC4 and IFC2X3).</summary>
public sealed class IfcTranslationTests : TranslationTest
{
    [Theory]
    [InlineData("cabin-ifc4.ifc", "IFC4", "IfcWall")]
    [InlineData("cabin-ifc2x3.ifc", "IFC2X3", "IfcWallStandardCase")]
    public async Task The_spatial_structure_becomes_the_tree_with_global_ids(string file, string schema, string wallType)
    {
        var model = await SucceedsAsync(file);

        var project = model.Root;
        Assert.Equal(("Cabin Project", "0K7w7JN4L0hfLqPYBSxTY1"), (project.Name, project.ExternalId));
        var site = Assert.Single(project.Children);
        Assert.Equal(("Lakeside Site", "0K7w7JN4L0hfLqPYBSxTY2"), (site.Name, site.ExternalId));
        var building = Assert.Single(site.Children);
        Assert.Equal(("Cabin", "0K7w7JN4L0hfLqPYBSxTY3"), (building.Name, building.ExternalId));
        var storey = Assert.Single(building.Children);
        Assert.Equal(("Ground Floor", "0K7w7JN4L0hfLqPYBSxTY4"), (storey.Name, storey.ExternalId));
        Assert.Equal([("Floor Slab", "0K7w7JN4L0hfLqPYBSxTY9"), ("North Wall", "0K7w7JN4L0hfLqPYBSxTY8")],
            storey.Children.Select(e => (e.Name, e.ExternalId!)).Order());
        Assert.Equal(schema, Group(model, project, IfcGltf.IfcGroup)["Schema"]);
        Assert.Equal(wallType, Group(model, Find(project, "North Wall"), IfcGltf.IfcGroup)["Type"]);
    }

    [Theory]
    [InlineData("cabin-ifc4.ifc")]
    [InlineData("cabin-ifc2x3.ifc")]
    public async Task Property_sets_and_extruded_geometry_reach_each_element(string file)
    {
        var model = await SucceedsAsync(file);

        var wall = Find(model.Root, "North Wall");
        var slab = Find(model.Root, "Floor Slab");
        Assert.Equal(new Dictionary<string, string> { ["IsExternal"] = "true", ["FireRating"] = "EI 60" }, Group(model, wall, "Pset_WallCommon"));
        Assert.Equal(new Dictionary<string, string> { ["LoadBearing"] = "true", ["Thickness"] = "0.25" }, Group(model, slab, "Pset_SlabCommon"));
        var wallProperties = model.Properties.Single(p => p.ObjectId == wall.ObjectId);
        Assert.Equal(("North Wall", "0K7w7JN4L0hfLqPYBSxTY8"), (wallProperties.Name, wallProperties.ExternalId));
        // Each extruded rectangle is a box: 12 triangles. The wall (4 × 0.2 × 3 m, IFC's Z up) stands on the slab
        // (4 × 3 × 0.25 m below the storey's zero), in glTF's Y up.
        Assert.Equal(12, Triangles(model, wall));
        Assert.Equal(12, Triangles(model, slab));
        Assert.Equal(24, Triangles(model, model.Root));
        Assert.Equal("0, 0, -0.2", Group(model, wall, "Geometry")["Bounding box min"]);
        Assert.Equal("4, 3, 0", Group(model, wall, "Geometry")["Bounding box max"]);
        Assert.Equal("0, -0.25, -3", Group(model, slab, "Geometry")["Bounding box min"]);
    }

    [Fact]
    public async Task The_glb_holds_the_elements_under_the_storey_with_their_colours()
    {
        var model = await SucceedsAsync("cabin-ifc4.ifc");

        var gltf = Gltf(model);
        var storey = gltf.LogicalNodes.Single(n => n.Name == "Ground Floor");
        Assert.Equal(["Floor Slab", "North Wall"], storey.VisualChildren.Select(n => n.Name).Order());
        var wall = storey.VisualChildren.Single(n => n.Name == "North Wall");
        Assert.Equal(Find(model.Root, "North Wall").ObjectId, wall.Extras?["objectid"]?.GetValue<int>());
        var red = wall.Mesh.Primitives.Single().Material.FindChannel("BaseColor")!.Value.Color;
        Assert.Equal(0.8f, red.X, 3);
        Assert.Equal(0.2f, red.Y, 3);
        Assert.NotNull(wall.Mesh.Primitives.Single().GetVertexAccessor("NORMAL"));
    }

    [Fact]
    public async Task Elements_in_no_storey_hang_from_the_project()
    {
        // Without #60 (IfcRelContainedInSpatialStructure) the wall and slab are placed but contained nowhere.
        var source = Path.Combine(NewOutputFolder(), "cabin.ifc");
        var lines = await File.ReadAllLinesAsync(Path.Combine(Models, "cabin-ifc4.ifc"));
        await File.WriteAllLinesAsync(source, lines.Where(l => !l.StartsWith("#60=", StringComparison.Ordinal)));

        var result = await Translator().TranslateAsync(source, "ifc", NewOutputFolder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        var project = result.Model!.Root;
        Assert.Empty(Find(project, "Ground Floor").Children);
        Assert.Equal(["Floor Slab", "Lakeside Site", "North Wall"], project.Children.Select(c => c.Name).Order());
        Assert.Equal("EI 60", Group(result.Model, Find(project, "North Wall"), "Pset_WallCommon")["FireRating"]);
    }

    [Fact]
    public async Task A_truncated_ifc_fails_with_a_message()
    {
        var source = Path.Combine(NewOutputFolder(), "cabin.ifc");
        var whole = await File.ReadAllTextAsync(Path.Combine(Models, "cabin-ifc4.ifc"));
        await File.WriteAllTextAsync(source, whole[..(whole.Length * 2 / 3)]);

        var result = await Translator().TranslateAsync(source, "ifc", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("cut short", result.FailureMessage);
    }

    [Fact]
    public async Task A_corrupt_ifc_fails_with_a_message()
    {
        var source = Path.Combine(NewOutputFolder(), "noise.ifc");
        await File.WriteAllTextAsync(source, "ISO-10303-21;\nDATA;\n#1=IFCWALL(((((;\n#2=\u0001\u0002garbage\nEND-ISO-10303-21;\n");

        var result = await Translator().TranslateAsync(source, "ifc", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.FailureMessage));
    }

    [Fact]
    public async Task Cancelling_stops_the_ifc_reader()
    {
        var source = Path.Combine(NewOutputFolder(), "cabin.ifc");
        File.Copy(Path.Combine(Models, "cabin-ifc4.ifc"), source);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Translator().TranslateAsync(source, "ifc", NewOutputFolder(), cancel.Token));

        Assert.Empty(ProcessTable.CommandLinesContaining(source));
    }

    [Fact]
    public async Task The_ifc_reader_past_the_time_limit_is_stopped()
    {
        // A copy of its own, so that the process check sees this test's reader only.
        var source = Path.Combine(NewOutputFolder(), "cabin.ifc");
        File.Copy(Path.Combine(Models, "cabin-ifc4.ifc"), source);
        var translator = Translator(new Dictionary<string, string?> { ["ModelDerivatives:TimeLimit"] = "00:00:00.050" });

        var result = await translator.TranslateAsync(source, "ifc", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("time limit", result.FailureMessage);
        Assert.Empty(ProcessTable.CommandLinesContaining(source));
    }
}
