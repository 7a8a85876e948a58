using System.Text;
using Scanport.Surfaces.Aps.ModelDerivative;
using static Scanport.Tests.Surfaces.Aps.ModelDerivativeCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>A converter that runs past the time limit ends the manifest <c>timeout</c>, on a server of its own with a tiny limit.</summary>
public sealed class ModelDerivativeTimeoutTests : IAsyncLifetime
{
    private ScanportApp app = null!;

    public async Task InitializeAsync() =>
        app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["ModelDerivatives:TimeLimit"] = "00:00:00.001" });

    public Task DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task A_translation_past_the_time_limit_ends_timeout_with_a_message()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("crate.fbx");

        var (report, _) = await md.SdkAsync(urn, ["job", "wait"], Job(urn));

        var manifest = report.GetProperty("manifest");
        Assert.Equal(("timeout", "complete"), (manifest.GetProperty("status").GetString(), manifest.GetProperty("progress").GetString()));
        var message = manifest.GetProperty("derivatives")[0].GetProperty("messages")[0];
        Assert.Equal("Scanport-TranslationTimeout", message.GetProperty("code").GetString());
        Assert.Contains("time limit", message.GetProperty("message").GetString());
    }
}

/// <summary>Design and derivative URNs as clients spell them.</summary>
public sealed class DesignUrnsTests
{
    private const string ObjectId = "urn:adsk.objects:os.object:my-bucket/folder/model?.ifc";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void A_urn_is_read_in_either_alphabet_with_or_without_padding(bool standard, bool padded)
    {
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(ObjectId));
        var urn = standard ? b64 : b64.Replace('+', '-').Replace('/', '_');
        if (!padded) urn = urn.TrimEnd('=');

        var source = DesignUrns.Read(urn.Replace("/", "%2F"));

        Assert.Equal(("my-bucket", "folder/model?.ifc", "model?.ifc"), (source?.BucketKey, source?.ObjectKey, source?.FileName));
    }

    [Fact]
    public void A_derivative_urn_names_only_its_designs_downloadable_files()
    {
        var source = DesignUrns.Read(Convert.ToBase64String(Encoding.UTF8.GetBytes(ObjectId)))!;
        var other = DesignUrns.Read(Convert.ToBase64String(Encoding.UTF8.GetBytes(ObjectId + "x")))!;
        var model = DesignUrns.Derivative(source, "model.glb");

        Assert.Equal("model.glb", DesignUrns.FileOf(model, source));
        Assert.Null(DesignUrns.FileOf(model, other));
        Assert.Null(DesignUrns.FileOf(model.Replace("model.glb", "objects.json"), source));
        Assert.Null(DesignUrns.FileOf(model.Replace("model.glb", "../model.glb"), source));
        Assert.Null(DesignUrns.FileOf("urn:other:" + model, source));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("dXJuOmFkc2s")] // base64 of text that is no object id
    public void What_is_no_objects_urn_is_refused(string urn) => Assert.Null(DesignUrns.Read(urn));
}
