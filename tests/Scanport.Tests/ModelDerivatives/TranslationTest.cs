using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Media;
using Scanport.Processes;
using Scanport.ModelDerivatives;
using SharpGLTF.Schema2;

namespace Scanport.Tests.ModelDerivatives;

/// <summary>
/// Translates the test models with the module as the host registers it, into folders of the test's own, deleted after it.
/// </summary>
public abstract class TranslationTest : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("scanport-derivative-test-").FullName;

    public static string Models { get; } = Path.Combine(RepoPaths.Root, "tests", "Scanport.Tests", "ModelDerivatives", "Models");

    public static ModelTranslator Translator(IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        return new ServiceCollection().AddLogging().AddProcesses(configuration).AddMedia(configuration).AddModelDerivatives(configuration)
            .BuildServiceProvider().GetRequiredService<ModelTranslator>();
    }

    public string NewOutputFolder() => Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Translates a file of <see cref="Models"/> and asserts that it succeeded.</summary>
    public async Task<TranslatedModel> SucceedsAsync(string model, string? format = null)
    {
        var result = await Translator().TranslateAsync(Path.Combine(Models, model), format ?? Path.GetExtension(model), NewOutputFolder(), CancellationToken.None);
        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Null(result.FailureMessage);
        return result.Model!;
    }

    /// <summary>The translated glTF as SharpGLTF reads it, strictly validated.</summary>
    public static ModelRoot Gltf(TranslatedModel model) => ModelRoot.Load(model.ModelPath);

    public static ModelObject Find(ModelObject root, string name) =>
        All(root).SingleOrDefault(o => o.Name == name) ?? throw new Xunit.Sdk.XunitException($"no object '{name}' in the tree");

    public static IEnumerable<ModelObject> All(ModelObject root) => new[] { root }.Concat(root.Children.SelectMany(All));

    public static IReadOnlyDictionary<string, string> Group(TranslatedModel model, ModelObject o, string group) =>
        model.Properties.Single(p => p.ObjectId == o.ObjectId).Groups[group];

    public static int Triangles(TranslatedModel model, ModelObject o) => int.Parse(Group(model, o, "Geometry")["Triangles"]);
}
