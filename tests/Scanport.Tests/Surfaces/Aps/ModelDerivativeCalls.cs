using Scanport.ApsCloud;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Surfaces.Aps.Oss;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// An organization's APS application for the Model Derivative tests: its token, an OSS bucket of its own seeded through
/// the catalog (OSS's endpoints are another service's), and APS's Node client driving Scanport.
/// </summary>
public sealed record ModelDerivativeCalls(ApsClient Client, string Token, string BucketKey)
{
    public const string AllScopes = "data:read data:write data:create viewables:read";
    public static string Models { get; } = Path.Combine(RepoPaths.Root, "tests", "Scanport.Tests", "ModelDerivatives", "Models");
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "Scanport.Tests", "Surfaces", "Aps", "sdk", "model-derivative.mjs");
    private static readonly string Sdk = Path.Combine(RepoPaths.Root, "tools", "aps-sdk");
    private static readonly string Validator = Path.Combine(RepoPaths.Root, "tools", "gltf-validator", "validate.mjs");

    public ScanportApp App => Client.App;

    public static async Task<ModelDerivativeCalls> CreateAsync(ScanportApp app, string role = "operator", string scope = AllScopes)
    {
        var client = await ApsClient.CreateAsync(app, role);
        var token = (await client.TwoLeggedAsync(scope)).GetProperty("access_token").GetString()!;
        var bucketKey = $"md-{Guid.NewGuid():N}";
        using var scopeServices = app.Services.CreateScope();
        var db = scopeServices.ServiceProvider.GetRequiredService<ScanportDb>();
        db.OssBuckets.Add(new OssBucket { Key = bucketKey, OrgId = client.Tenant.OrgId, PolicyKey = OssCatalog.Persistent, CreatedBy = client.ClientId, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return new ModelDerivativeCalls(client, token, bucketKey);
    }

    /// <summary>Another token of the same application, with other scopes.</summary>
    public async Task<string> TokenAsync(string scope) => (await Client.TwoLeggedAsync(scope)).GetProperty("access_token").GetString()!;

    /// <summary>Stores bytes as an object of the bucket; its URN (base64url, no padding).</summary>
    public async Task<string> StoreAsync(string objectKey, byte[] bytes)
    {
        using var scope = App.Services.CreateScope();
        var oss = scope.ServiceProvider.GetRequiredService<OssCatalog>();
        var bucket = (await oss.FindBucketAsync(Client.Tenant.OrgId, BucketKey, CancellationToken.None))!;
        using var body = new MemoryStream(bytes);
        await oss.StoreAsync(bucket, objectKey, body, "application/octet-stream", CancellationToken.None);
        return ApsUrns.Encode(ApsUrns.ObjectId(BucketKey, objectKey));
    }

    public Task<string> StoreModelAsync(string model) => StoreAsync(model, File.ReadAllBytes(Path.Combine(Models, model)));

    /// <summary>Zips sample models (at the archive's root, or under <paramref name="folder"/>) and stores the zip.</summary>
    public Task<string> StoreZipAsync(string objectKey, string folder, params string[] models)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var model in models) zip.CreateEntryFromFile(Path.Combine(Models, model), folder + model);
        return StoreAsync(objectKey, buffer.ToArray());
    }

    public static object Job(string urn, string type = "svf2", bool compressed = false, string? root = null) => new
    {
        input = compressed ? (object)new { urn, compressedUrn = true, rootFilename = root } : new { urn },
        output = new { formats = new[] { new { type, views = new[] { "2d", "3d" } } } },
    };

    /// <summary>Runs the steps with APS's Node client; its report, and the folder it wrote the downloads to.</summary>
    public async Task<(JsonElement Report, string Out)> SdkAsync(
        string urn, string[] steps, object? job = null, string? force = null, string? token = null, object[]? queries = null)
    {
        var output = Directory.CreateTempSubdirectory("scanport-md-sdk-").FullName;
        var spec = JsonSerializer.Serialize(new { sdk = Sdk, @base = App.BaseAddress.ToString(), token = token ?? Token, urn, @out = output, steps, job, force, queries });
        var (code, stdout, stderr) = await ExternalProgram.RunAsync("node", [Script, spec], timeoutSeconds: 300);
        Assert.True(code == 0, $"node failed ({code}):\n{stderr}\n{stdout}");
        return (JsonDocument.Parse(stdout).RootElement.Clone(), output);
    }

    /// <summary>The Khronos validator's report on a glTF binary: no errors.</summary>
    public static async Task AssertValidGlbAsync(string path)
    {
        var (code, stdout, stderr) = await ExternalProgram.RunAsync("node", [Validator, path]);
        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.True(report.RootElement.GetProperty("numErrors").GetInt32() == 0, stdout);
    }

    public static IEnumerable<JsonElement> Objects(JsonElement tree) =>
        tree.GetProperty("data").GetProperty("objects").EnumerateArray().SelectMany(Flatten);

    private static IEnumerable<JsonElement> Flatten(JsonElement node) =>
        new[] { node }.Concat(node.TryGetProperty("objects", out var children) ? children.EnumerateArray().SelectMany(Flatten) : []);

    public static JsonElement Named(JsonElement tree, string name) =>
        Objects(tree).SingleOrDefault(o => o.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found : throw new Xunit.Sdk.XunitException($"no object '{name}' in {tree}");

    public static JsonElement PropertiesOf(JsonElement properties, int objectId) =>
        properties.GetProperty("data").GetProperty("collection").EnumerateArray().Single(p => p.GetProperty("objectid").GetInt32() == objectId);
}
