using System.Buffers.Binary;
using System.Text.Json;
using static Scanport.Tests.Surfaces.Aps.ModelDerivativeCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// Each supported format translated through APS's own Node client: a <c>success</c> manifest with glTF graphics, one 3D
/// view, the object tree and properties the source file holds, square PNG thumbnails, and a glTF binary the Khronos
/// validator passes, downloaded whole and by range.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ModelDerivativeTranslationTests(ScanportApp app)
{
    public static TheoryData<string, string[]> Sources => new()
    {
        { "tetrahedron.stl", ["tetrahedron"] },
        { "pyramid.ply", ["pyramid.ply"] },
        { "crate.fbx", ["Shelf"] },
        { "signpost.gltf", ["Signpost", "Board"] },
        { "bracket.dae", ["Bracket", "Plate"] },
        { "cabin-ifc4.ifc", ["Cabin Project", "Lakeside Site", "Cabin", "Ground Floor", "North Wall", "Floor Slab"] },
        { "cabin-ifc2x3.ifc", ["Cabin Project", "Lakeside Site", "Cabin", "Ground Floor", "North Wall"] },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_design_translates_to_a_successful_manifest_with_its_tree_properties_thumbnails_and_glb(string model, string[] names)
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync(model);

        var (report, output) = await md.SdkAsync(urn, ["job", "wait", "details"], Job(urn));

        Assert.Equal("success", report.GetProperty("job").GetProperty("result").GetString());
        Assert.Equal(urn, report.GetProperty("job").GetProperty("urn").GetString());
        var tree = AssertTranslated(report, model);
        foreach (var name in names) Named(tree, name);
        await AssertDownloadsAsync(report, output);
    }

    [Fact]
    public async Task A_zipped_obj_with_its_mtl_translates_from_its_root_file()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreZipAsync("house.zip", "model/", "house.obj", "house.mtl");

        var (report, output) = await md.SdkAsync(urn, ["job", "wait", "details"], Job(urn, compressed: true, root: "model/house.obj"));

        var tree = AssertTranslated(report, "house.obj");
        var properties = report.GetProperty("properties");
        var walls = PropertiesOf(properties, Named(tree, "Walls").GetProperty("objectid").GetInt32());
        Assert.Equal("Brick", walls.GetProperty("properties").GetProperty("Materials and Finishes").GetProperty("Material").GetString());
        var root = PropertiesOf(properties, 1).GetProperty("properties").GetProperty("Geometry");
        Assert.Equal("0, 0, 0", root.GetProperty("Bounding box min").GetString());
        Assert.Equal("2, 2, 2", root.GetProperty("Bounding box max").GetString());
        await AssertDownloadsAsync(report, output);
    }

    [Theory]
    [InlineData("cabin-ifc4.ifc")]
    [InlineData("cabin-ifc2x3.ifc")]
    public async Task An_ifc_keeps_its_spatial_structure_and_global_ids(string model)
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync(model);

        var (report, _) = await md.SdkAsync(urn, ["job", "wait", "details"], Job(urn, type: "svf"));

        var tree = AssertTranslated(report, model, "svf");
        var project = Named(tree, "Cabin Project");
        var site = Assert.Single(project.GetProperty("objects").EnumerateArray());
        Assert.Equal("Lakeside Site", site.GetProperty("name").GetString());
        var building = Assert.Single(site.GetProperty("objects").EnumerateArray());
        var storey = Assert.Single(building.GetProperty("objects").EnumerateArray());
        Assert.Equal("Ground Floor", storey.GetProperty("name").GetString());
        Assert.Contains(storey.GetProperty("objects").EnumerateArray(), e => e.GetProperty("name").GetString() == "North Wall");
        var properties = report.GetProperty("properties");
        Assert.Equal("0K7w7JN4L0hfLqPYBSxTY1", PropertiesOf(properties, project.GetProperty("objectid").GetInt32()).GetProperty("externalId").GetString());
        var wall = PropertiesOf(properties, Named(tree, "North Wall").GetProperty("objectid").GetInt32());
        Assert.Equal("0K7w7JN4L0hfLqPYBSxTY8", wall.GetProperty("externalId").GetString());
        Assert.Equal("North Wall", wall.GetProperty("name").GetString());
    }

    /// <summary>The manifest, views and tree of a successful translation; the tree.</summary>
    private static JsonElement AssertTranslated(JsonElement report, string sourceName, string outputType = "svf2")
    {
        var manifest = report.GetProperty("manifest");
        Assert.True(manifest.GetProperty("status").GetString() == "success", manifest.ToString());
        Assert.Equal(("manifest", "complete", "true", "1.0", "US"), (manifest.GetProperty("type").GetString(), manifest.GetProperty("progress").GetString(),
            manifest.GetProperty("hasThumbnail").GetString(), manifest.GetProperty("version").GetString(), manifest.GetProperty("region").GetString()));
        var derivative = Assert.Single(manifest.GetProperty("derivatives").EnumerateArray());
        Assert.Equal((sourceName, outputType, "success", "true"), (derivative.GetProperty("name").GetString(), derivative.GetProperty("outputType").GetString(),
            derivative.GetProperty("status").GetString(), derivative.GetProperty("hasThumbnail").GetString()));
        var view = Assert.Single(derivative.GetProperty("children").EnumerateArray());
        Assert.Equal(("geometry", "3d"), (view.GetProperty("type").GetString(), view.GetProperty("role").GetString()));
        var resources = view.GetProperty("children").EnumerateArray().ToList();
        var graphics = Assert.Single(resources, r => r.GetProperty("role").GetString() == "graphics");
        Assert.Equal("model/gltf-binary", graphics.GetProperty("mime").GetString());
        Assert.StartsWith("urn:adsk.viewing:fs.file:", graphics.GetProperty("urn").GetString());
        Assert.Equal([100, 200, 400], resources.Where(r => r.GetProperty("role").GetString() == "thumbnail")
            .Select(r => r.GetProperty("resolution")[0].GetInt32()));
        // The job was seen under way: pending or in progress, as "NN% complete".
        Assert.Contains(report.GetProperty("seen").EnumerateArray(), s => s.GetString()!.EndsWith("% complete", StringComparison.Ordinal));

        var metadata = Assert.Single(report.GetProperty("views").GetProperty("data").GetProperty("metadata").EnumerateArray());
        Assert.Equal(("3d", view.GetProperty("guid").GetString()), (metadata.GetProperty("role").GetString(), metadata.GetProperty("guid").GetString()));
        var tree = report.GetProperty("tree");
        Assert.Equal("objects", tree.GetProperty("data").GetProperty("type").GetString());
        var objects = Objects(tree).ToList();
        var properties = report.GetProperty("properties").GetProperty("data").GetProperty("collection").EnumerateArray().ToList();
        // Every object of the tree has its properties, by the same object id and name.
        Assert.Equal(objects.Select(o => (o.GetProperty("objectid").GetInt32(), o.GetProperty("name").GetString())).Order(),
            properties.Select(p => (p.GetProperty("objectid").GetInt32(), p.GetProperty("name").GetString())).Order());
        var geometry = properties[0].GetProperty("properties").GetProperty("Geometry");
        Assert.True(int.Parse(geometry.GetProperty("Triangles").GetString()!) > 0);
        return tree;
    }

    private static async Task AssertDownloadsAsync(JsonElement report, string output)
    {
        foreach (var size in new[] { 100, 400 })
        {
            var png = File.ReadAllBytes(Path.Combine(output, $"thumbnail-{size}.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal((size, size), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        }
        var glb = Path.Combine(output, "model.glb");
        Assert.Equal(200, report.GetProperty("head").GetProperty("status").GetInt32());
        Assert.Equal(new FileInfo(glb).Length, report.GetProperty("head").GetProperty("length").GetInt64());
        Assert.Equal("model/gltf-binary", report.GetProperty("head").GetProperty("type").GetString());
        Assert.Equal(200, report.GetProperty("download").GetProperty("status").GetInt32());
        var range = report.GetProperty("range");
        Assert.Equal((206, "glTF", 12), (range.GetProperty("status").GetInt32(), range.GetProperty("magic").GetString(), range.GetProperty("length").GetInt32()));
        Assert.Equal($"bytes 0-11/{new FileInfo(glb).Length}", range.GetProperty("contentRange").GetString());
        await AssertValidGlbAsync(glb);

        // APS's signed-cookie URL, as the SDK builds it, serves the same bytes without a token; a forged signature is refused.
        var link = report.GetProperty("link");
        Assert.Equal((200, true, new FileInfo(glb).Length, "model/gltf-binary"), (link.GetProperty("status").GetInt32(), link.GetProperty("same").GetBoolean(),
            link.GetProperty("size").GetInt64(), link.GetProperty("type").GetString()));
        Assert.Equal((206, 4), (link.GetProperty("rangeStatus").GetInt32(), link.GetProperty("rangeBytes").GetInt32()));
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(link.GetProperty("expiration").GetInt64()) - DateTimeOffset.UtcNow,
            TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(11));
        Assert.Equal(403, link.GetProperty("forged").GetInt32());
        Assert.False(string.IsNullOrEmpty(link.GetProperty("forgedBody").GetProperty("developerMessage").GetString()));
    }
}
