using Microsoft.Extensions.Options;
using Scanport.Media;
using Scanport.Processes;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Translates a design file offline into what Model Derivative serves: one binary glTF, its object tree, the
/// properties of each object and PNG thumbnails. Each file is parsed by a converter in its own capped process.
/// </summary>
public sealed class ModelTranslator
{
    /// <summary>The name of the glTF binary written into the output folder.</summary>
    public const string ModelFileName = "model.glb";

    private readonly AssimpImporter assimp;
    private readonly IfcImporter ifc;
    private readonly TimeSpan timeLimit;
    private readonly ILogger<ModelTranslator> logger;

    /// <summary>Made by dependency injection (<see cref="ModelDerivativesModule.AddModelDerivatives"/>).</summary>
    public ModelTranslator(IOptions<ModelDerivativesOptions> options, LibVips vips, ProcessRunner runner, ILogger<ModelTranslator> logger)
    {
        // The thumbnails are written by libvips, configured once per process by the media module.
        vips.EnsureStarted();
        var converter = new ConverterProcess(runner, options);
        assimp = new AssimpImporter(converter, options.Value.Assimp);
        ifc = new IfcImporter(converter, options.Value.Node, options.Value.IfcReader);
        timeLimit = options.Value.TimeLimit;
        this.logger = logger;
    }

    /// <summary>The input formats, as file extensions without the dot.</summary>
    public static IReadOnlySet<string> InputFormats { get; } = AssimpImporter.Formats.Append(IfcImporter.Format).ToHashSet();

    /// <summary>
    /// Translates <paramref name="inputPath"/>, read as <paramref name="inputFormat"/> (an extension such as <c>obj</c>
    /// or <c>.IFC</c>), into <paramref name="outputFolder"/>. An OBJ's MTL is looked for beside it. A file that cannot be
    /// translated gives a failed result with a message; only the caller's cancellation throws.
    /// </summary>
    public async Task<TranslationResult> TranslateAsync(string inputPath, string inputFormat, string outputFolder, CancellationToken ct)
    {
        var format = inputFormat.Trim().TrimStart('.').ToLowerInvariant();
        if (!InputFormats.Contains(format))
            return TranslationResult.Failed($"The format '{inputFormat}' is not supported; supported: {string.Join(", ", InputFormats.Order())}.");
        if (!File.Exists(inputPath)) return TranslationResult.Failed("The source file does not exist.");

        Directory.CreateDirectory(outputFolder);
        var work = Directory.CreateTempSubdirectory("scanport-translation-").FullName;
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            var imported = format == IfcImporter.Format
                ? await ifc.ImportAsync(inputPath, work, ct)
                : await assimp.ImportAsync(inputPath, format, work, ct);
            logger.LogDebug("Imported a {Format} file in {Elapsed}", format, TimeProvider.System.GetElapsedTime(started));
            var result = await Finish(imported, Path.GetFileName(inputPath), outputFolder, ct);
            logger.LogInformation("Translation of a {Format} file {Outcome} in {Elapsed}: {Message}",
                format, result.Succeeded ? "succeeded" : "failed", TimeProvider.System.GetElapsedTime(started), result.FailureMessage);
            return result;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<TranslationResult> Finish(ImportedModel imported, string modelName, string outputFolder, CancellationToken ct)
    {
        if (imported.Gltf is not { } gltf) return TranslationResult.Failed(imported.Failure ?? "The file could not be read.");
        if (ObjectTree.Depth(gltf) > ObjectTree.MaxDepth)
            return TranslationResult.Failed($"The model nests its objects more than {ObjectTree.MaxDepth} deep.");
        var phase = TimeProvider.System.GetTimestamp();
        var geometry = ModelGeometry.Read(gltf);
        logger.LogDebug("Read {Triangles} triangles in {Elapsed}", geometry.Triangles.Count, TimeProvider.System.GetElapsedTime(phase));
        if (geometry.Triangles.Count == 0) return TranslationResult.Failed("The file holds no surfaces to show (no triangles).");

        phase = TimeProvider.System.GetTimestamp();
        var (root, properties) = ObjectTree.Build(gltf, imported.Facts, geometry, modelName);
        logger.LogDebug("Built the object tree in {Elapsed}", TimeProvider.System.GetElapsedTime(phase));
        // The glTF binary is written while the thumbnails are drawn: neither reads what the other writes.
        var modelPath = Path.Combine(outputFolder, ModelFileName);
        var saving = Task.Run(() => gltf.SaveGLB(modelPath), CancellationToken.None);
        phase = TimeProvider.System.GetTimestamp();
        // Drawing runs in the host: the converters' time limit holds for it too.
        using var drawing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        drawing.CancelAfter(timeLimit);
        try
        {
            var thumbnails = ThumbnailRenderer.Write(geometry.Triangles, outputFolder, drawing.Token);
            logger.LogDebug("Drew the thumbnails in {Elapsed}", TimeProvider.System.GetElapsedTime(phase));
            await saving;
            logger.LogDebug("Wrote the glTF binary and the thumbnails in {Elapsed}", TimeProvider.System.GetElapsedTime(phase));
            return new TranslationResult(true, null, new TranslatedModel(modelPath, root, properties, thumbnails));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TranslationResult.Failed($"Drawing the thumbnails took longer than the time limit ({timeLimit}).");
        }
        finally
        {
            // Never leave the write running past the call (its folder may be deleted next).
            if (!saving.IsCompleted) await saving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
