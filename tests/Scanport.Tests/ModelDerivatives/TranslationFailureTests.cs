
namespace Scanport.Tests.ModelDerivatives;

/// <summary>Files that cannot be translated end as failed results with a message, never as exceptions or hangs.</summary>
public sealed class TranslationFailureTests : TranslationTest
{
    [Fact]
    public async Task A_corrupt_file_fails_with_the_readers_message()
    {
        var source = Path.Combine(NewOutputFolder(), "noise.ply");
        await File.WriteAllBytesAsync(source, [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7919 % 251))]);

        var result = await Translator().TranslateAsync(source, "ply", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Null(result.Model);
        Assert.Contains("magic number", result.FailureMessage);
    }

    [Fact]
    public async Task A_truncated_file_fails_with_a_message()
    {
        var source = Path.Combine(NewOutputFolder(), "crate.fbx");
        var whole = await File.ReadAllBytesAsync(Path.Combine(Models, "crate.fbx"));
        await File.WriteAllBytesAsync(source, whole[..(whole.Length / 2)]);

        var result = await Translator().TranslateAsync(source, "fbx", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("end of file", result.FailureMessage);
    }

    [Fact]
    public async Task A_file_asking_for_more_memory_than_the_cap_fails()
    {
        // Two billion vertices announced in the header: the reader allocates for them before reading any.
        var source = Path.Combine(NewOutputFolder(), "huge.ply");
        await File.WriteAllTextAsync(source, "ply\nformat ascii 1.0\nelement vertex 2000000000\nproperty float x\nproperty float y\n"
            + "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n");
        var translator = Translator(new Dictionary<string, string?> { ["ModelDerivatives:MemoryLimitMegabytes"] = "512" });

        var result = await translator.TranslateAsync(source, "ply", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("bad_alloc", result.FailureMessage);
    }

    [Fact]
    public async Task A_model_larger_than_the_host_will_load_fails()
    {
        // A 300 × 300 grid: 180,000 triangles, over 3 MiB as glTF binary.
        var source = Path.Combine(NewOutputFolder(), "grid.obj");
        var obj = new System.Text.StringBuilder();
        for (var row = 0; row < 300; row++)
            for (var column = 0; column < 300; column++) obj.Append($"v {column} 0 {row}\n");
        for (var row = 0; row < 299; row++)
            for (var column = 0; column < 299; column++)
            {
                var corner = row * 300 + column + 1;
                obj.Append($"f {corner} {corner + 1} {corner + 301} {corner + 300}\n");
            }
        await File.WriteAllTextAsync(source, obj.ToString());
        var translator = Translator(new Dictionary<string, string?> { ["ModelDerivatives:MaxConvertedMegabytes"] = "1" });

        var result = await translator.TranslateAsync(source, "obj", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("too large to translate", result.FailureMessage);
    }

    [Fact]
    public async Task A_model_nesting_its_nodes_too_deep_fails()
    {
        // 300 nodes, each the only child of the one before, the last holding the signpost's board.
        var source = Path.Combine(NewOutputFolder(), "deep.gltf");
        var gltf = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Models, "signpost.gltf")))!;
        var nodes = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < 300; i++)
            nodes.Add(i < 299 ? new System.Text.Json.Nodes.JsonObject { ["name"] = $"Level {i}", ["children"] = new System.Text.Json.Nodes.JsonArray(i + 1) }
                : new System.Text.Json.Nodes.JsonObject { ["name"] = "Board", ["mesh"] = 0 });
        gltf["nodes"] = nodes;
        await File.WriteAllTextAsync(source, gltf.ToJsonString());

        var result = await Translator().TranslateAsync(source, "gltf", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("more than 256 deep", result.FailureMessage);
    }

    [Fact]
    public async Task A_converter_past_the_time_limit_is_stopped_and_the_translation_fails()
    {
        var translator = Translator(new Dictionary<string, string?> { ["ModelDerivatives:TimeLimit"] = "00:00:00.001" });

        var result = await translator.TranslateAsync(Path.Combine(Models, "house.obj"), "obj", NewOutputFolder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("time limit", result.FailureMessage);
    }

    [Fact]
    public async Task The_callers_cancellation_throws_rather_than_failing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Translator().TranslateAsync(Path.Combine(Models, "house.obj"), "obj", NewOutputFolder(), cancelled.Token));
    }

    [Fact]
    public async Task An_unknown_format_or_a_missing_file_fails()
    {
        var unknown = await Translator().TranslateAsync(Path.Combine(Models, "house.obj"), "dwg", NewOutputFolder(), CancellationToken.None);
        var missing = await Translator().TranslateAsync(Path.Combine(Models, "absent.obj"), "obj", NewOutputFolder(), CancellationToken.None);

        Assert.Contains("'dwg' is not supported", unknown.FailureMessage);
        Assert.Contains("does not exist", missing.FailureMessage);
    }
}
