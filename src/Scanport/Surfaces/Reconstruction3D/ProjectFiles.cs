using Microsoft.Extensions.Options;
using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// Where a project's files live in the object store: <c>{prefix}/{project uuid}/video/…</c>, <c>frames/…</c> and
/// <c>output/…</c>. Every file of a project is under its folder, so deleting the project deletes one prefix.
/// </summary>
internal sealed class ProjectFiles(IObjectStore store, IOptions<Reconstruction3DOptions> options)
{
    private readonly Reconstruction3DOptions options = options.Value;

    public string Bucket => options.Bucket;

    public string Root(Guid projectId) => $"{options.Prefix}/{projectId}/";
    public string VideoPrefix(Guid projectId) => Root(projectId) + "video/";
    public string FramesPrefix(Guid projectId) => Root(projectId) + "frames/";
    public string Output(Guid projectId, string file) => Root(projectId) + "output/" + file;

    public Task<ObjectInfo> PutAsync(string key, Stream body, string contentType, CancellationToken ct) =>
        store.PutAsync(Bucket, key, body, contentType, ct);

    public Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken ct) => store.GetAsync(Bucket, key, range, ct);

    public Task<ObjectInfo?> HeadAsync(string key, CancellationToken ct) => store.HeadAsync(Bucket, key, ct);

    public Task<bool> DeleteAsync(string key, CancellationToken ct) => store.DeleteAsync(Bucket, key, ct);

    /// <summary>Every object under <paramref name="prefix"/>, in key order.</summary>
    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => store.ListAllAsync(Bucket, prefix, ct);

    /// <summary>Deletes every object under <paramref name="prefix"/>; the number deleted.</summary>
    public Task<int> DeleteAllAsync(string prefix, CancellationToken ct) => store.DeletePrefixAsync(Bucket, prefix, ct);
}
