using System.Numerics;
using System.Text.Json;
using NetVips;
using Scanport.ModelDerivatives;

namespace Scanport.Tests.ModelDerivatives;

/// <summary>What every format's translation writes: a glTF binary the Khronos validator passes, and drawn thumbnails.</summary>
public sealed class TranslatedOutputTests : TranslationTest
{
    public static TheoryData<string> Sources => new(
        "house.obj", "poster.obj", "tetrahedron.stl", "pyramid.ply", "crate.fbx", "signpost.gltf", "bracket.dae", "cabin-ifc4.ifc", "cabin-ifc2x3.ifc");

    private static readonly string Validator = Path.Combine(RepoPaths.Root, "tools", "gltf-validator", "validate.mjs");

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task The_glb_passes_the_Khronos_validator_without_errors(string file)
    {
        var model = await SucceedsAsync(file);

        var (code, stdout, stderr) = await ExternalProgram.RunAsync("node", [Validator, model.ModelPath]);

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.True(report.RootElement.GetProperty("numErrors").GetInt32() == 0, stdout);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Three_square_png_thumbnails_show_the_model(string file)
    {
        var model = await SucceedsAsync(file);

        Assert.Equal([100, 200, 400], model.Thumbnails.Select(t => t.Size));
        foreach (var thumbnail in model.Thumbnails)
        {
            Assert.Equal($"thumbnail-{thumbnail.Size}.png", Path.GetFileName(thumbnail.Path));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(thumbnail.Path)[..4]);
            using var image = Image.NewFromFile(thumbnail.Path);
            Assert.Equal((thumbnail.Size, thumbnail.Size, 3), (image.Width, image.Height, image.Bands));
            // The model fills much of the square, never all of it (it is fitted with a margin).
            var drawn = DrawnShare(image.WriteToMemory<byte>());
            Assert.InRange(drawn, 0.05, 0.95);
        }
    }

    [Theory]
    [InlineData("house.obj")] // brick walls
    [InlineData("cabin-ifc4.ifc")] // the wall's red surface style
    [InlineData("signpost.gltf")] // red paint
    public async Task Thumbnails_are_drawn_in_the_materials_colours(string file)
    {
        var model = await SucceedsAsync(file);

        using var image = Image.NewFromFile(model.Thumbnails[^1].Path);
        var pixels = image.WriteToMemory<byte>();
        var reddish = Enumerable.Range(0, pixels.Length / 3).Count(i => pixels[3 * i] > 2 * pixels[3 * i + 1] && pixels[3 * i] > 80);
        Assert.True(reddish > 400 * 400 / 50, $"only {reddish} red pixels");
    }

    [Fact]
    public void Nearer_triangles_hide_farther_ones()
    {
        // Two level squares, the green one above and so nearer the view from above: in either order, green is in front.
        Triangle[] far = [.. Square(0, 5, new Vector3(1, 0, 0))];
        Triangle[] near = [.. Square(0.1f, 1, new Vector3(0, 1, 0))];

        foreach (var order in new[] { far.Concat(near), near.Concat(far) })
        {
            var pixels = ThumbnailRenderer.Render([.. order], 64, CancellationToken.None);
            var centre = 3 * (32 * 64 + 32);
            Assert.True(pixels[centre + 1] > pixels[centre], $"centre pixel {pixels[centre]},{pixels[centre + 1]},{pixels[centre + 2]}");
        }
    }

    [Fact]
    public void Drawing_stops_when_cancelled()
    {
        Assert.Throws<OperationCanceledException>(() => ThumbnailRenderer.Render([.. Square(0, 1, Vector3.One)], 64, new CancellationToken(canceled: true)));
    }

    /// <summary>A level square around the Y axis at height <paramref name="y"/>, seen from above by the thumbnail view.</summary>
    private static IEnumerable<Triangle> Square(float y, float halfSide, Vector3 colour)
    {
        Vector3 P(float x, float z) => new(x * halfSide, y, z * halfSide);
        yield return new Triangle(P(-1, -1), P(1, -1), P(1, 1), colour);
        yield return new Triangle(P(-1, -1), P(1, 1), P(-1, 1), colour);
    }

    private static double DrawnShare(byte[] rgb)
    {
        var drawn = 0;
        for (var i = 0; i < rgb.Length; i += 3)
            if (rgb[i] != ThumbnailRenderer.Background || rgb[i + 1] != ThumbnailRenderer.Background || rgb[i + 2] != ThumbnailRenderer.Background) drawn++;
        return drawn / (rgb.Length / 3.0);
    }
}
