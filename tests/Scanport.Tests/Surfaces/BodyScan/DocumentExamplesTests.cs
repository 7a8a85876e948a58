using System.Diagnostics;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.BodyScan;

/// <summary>The document's own JavaScript, run by Node against the running server with only a token added.</summary>
[Collection(AppCollection.Name)]
public sealed class DocumentExamplesTests(ScanportApp app)
{
    [Fact]
    public async Task The_documents_JavaScript_examples_work_unchanged()
    {
        var doc = Path.Combine(RepoPaths.Shared, "specs", "body-scan-frame-quality-api.md");
        var script = Path.Combine(AppContext.BaseDirectory, "Surfaces", "BodyScan", "doc-examples.mjs");
        var token = await app.AdminTokenAsync();

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, doc, app.BaseAddress.ToString(), token }) start.ArgumentList.Add(arg);
        using var node = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node failed: {await stderr}");

        var result = JsonDocument.Parse(await stdout).RootElement;
        var logs = result.GetProperty("logs").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(["Detected user in 95% of frames", "Scan quality: HIGH"], logs);
        var progress = result.GetProperty("progress").EnumerateArray().ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p =>
        {
            Assert.Equal(100, p.GetProperty("frames").GetInt32());
            Assert.Equal("95.0%", p.GetProperty("detection").GetString());
            Assert.True(p.GetProperty("lastUserDetected").GetBoolean());
        });

        using var client = app.Client(token);
        var status = await client.StatusAsync(result.GetProperty("scanId").GetString()!);
        Assert.Equal(100, status.GetProperty("frameCount").GetInt32());
    }
}
