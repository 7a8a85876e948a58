using SharpGLTF.Schema2;

namespace Scanport.Tests.ModelDerivatives;

/// <summary>Files a source names are read when they are its own (beside it), never from elsewhere on the host.</summary>
public sealed class SourceFileTests : TranslationTest
{
    [Fact]
    public async Task A_texture_beside_the_obj_is_embedded_in_the_glb()
    {
        var model = await SucceedsAsync("poster.obj");

        var image = Assert.Single(Gltf(model).LogicalImages);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Models, "poster.png")), image.Content.Content.ToArray());
    }

    [Theory]
    [InlineData("/etc/hostname")]
    [InlineData("../outside.png")]
    [InlineData("missing.png")]
    public async Task A_texture_path_outside_the_source_folder_reads_as_a_blank_image(string texture)
    {
        var folder = NewOutputFolder();
        var source = Directory.CreateDirectory(Path.Combine(folder, "upload")).FullName;
        File.Copy(Path.Combine(Models, "poster.png"), Path.Combine(folder, "outside.png"));
        File.Copy(Path.Combine(Models, "poster.obj"), Path.Combine(source, "poster.obj"));
        await File.WriteAllTextAsync(Path.Combine(source, "poster.mtl"), $"newmtl Print\nKd 1 1 1\nmap_Kd {texture}\n");

        var result = await Translator().TranslateAsync(Path.Combine(source, "poster.obj"), "obj", NewOutputFolder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        var image = Assert.Single(ModelRoot.Load(result.Model!.ModelPath).LogicalImages);
        using var embedded = NetVips.Image.NewFromBuffer(image.Content.Content.ToArray());
        Assert.Equal((1, 1), (embedded.Width, embedded.Height));
    }

    [Theory]
    [InlineData("/etc/hostname")]
    [InlineData("../../../../../../etc/hostname")]
    [InlineData("file:///etc/hostname")]
    public async Task A_gltf_whose_buffer_names_a_file_outside_its_folder_is_refused(string uri)
    {
        var source = Path.Combine(NewOutputFolder(), "signpost.gltf");
        var gltf = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Models, "signpost.gltf")))!;
        gltf["buffers"]![0]!["uri"] = uri;
        await File.WriteAllTextAsync(source, gltf.ToJsonString());

        var result = await Translator().TranslateAsync(source, "gltf", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains($"refers to '{uri}'", result.FailureMessage);
    }
}
