using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Scanport.Storage;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// Where a manifest's derivatives are kept: the platform's own bucket under <c>derivatives/{org}/{generation}/</c>, never
/// under <c>buckets/</c> (the organizations' OSS buckets), so no OSS call lists or overwrites them. A generation's files
/// are written once; a forced re-translation writes a new generation and deletes the old one.
/// </summary>
public sealed class DerivativeFiles(IObjectStore store, IOptions<StorageOptions> options)
{
    public const string Model = "model.glb";
    public const string Tree = "objects.json";
    public const string Properties = "properties.json";
    public static readonly int[] ThumbnailSizes = [100, 200, 400];

    public static string Thumbnail(int size) => $"thumbnail-{size}.png";

    /// <summary>The files a derivative URN may name (the others are internal to Scanport).</summary>
    public static bool IsDownloadable(string name) => name == Model || ThumbnailSizes.Any(s => name == Thumbnail(s));

    public IObjectStore Store => store;
    public string Bucket => options.Value.Buckets[0];

    public static string Prefix(Guid orgId, Guid generation) => $"derivatives/{orgId:D}/{generation:N}/";

    public string Key(Guid orgId, Guid generation, string name) => Prefix(orgId, generation) + name;

    public async Task PutFileAsync(Guid orgId, Guid generation, string name, string path, string contentType, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await store.PutAsync(Bucket, Key(orgId, generation, name), file, contentType, ct);
    }

    public async Task PutBytesAsync(Guid orgId, Guid generation, string name, byte[] bytes, string contentType, CancellationToken ct)
    {
        using var body = new MemoryStream(bytes, writable: false);
        await store.PutAsync(Bucket, Key(orgId, generation, name), body, contentType, ct);
    }

    public Task<ObjectContent?> OpenAsync(Guid orgId, Guid generation, string name, CancellationToken ct) =>
        store.GetAsync(Bucket, Key(orgId, generation, name), null, ct);

    public Task<ObjectInfo?> HeadAsync(Guid orgId, Guid generation, string name, CancellationToken ct) =>
        store.HeadAsync(Bucket, Key(orgId, generation, name), ct);

    /// <summary>Deletes every file of a generation (those of a job still writing included, when it is called again later).</summary>
    public async Task DeleteGenerationAsync(Guid orgId, Guid generation, CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await store.ListAsync(Bucket, Prefix(orgId, generation), null, IObjectStore.MaxKeysPerDelete, token, ct);
            if (page.Objects.Count > 0) await store.DeleteManyAsync(Bucket, page.Objects.Select(o => o.Key).ToList(), ct);
            token = page.NextContinuationToken;
        } while (token is not null);
    }

    /// <summary>A stable guid for one part of a generation (its view, its graphics, a thumbnail), as APS's manifests carry.</summary>
    public static string Guid(Guid generation, string part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{generation:N}/{part}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new System.Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }
}
