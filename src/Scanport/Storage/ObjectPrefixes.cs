namespace Scanport.Storage;

/// <summary>Whole prefixes of a bucket: what a project's or a snapshot's folder of objects needs, written once.</summary>
public static class ObjectPrefixes
{
    /// <summary>Every object under <paramref name="prefix"/>, in key order, a page at a time.</summary>
    public static async IAsyncEnumerable<ObjectInfo> ListAllAsync(this IObjectStore store, string bucket, string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await store.ListAsync(bucket, prefix, null, IObjectStore.MaxKeysPerDelete, token, ct);
            foreach (var o in page.Objects) yield return o;
            token = page.NextContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Deletes every object under <paramref name="prefix"/>, a thousand per call; the number deleted.</summary>
    public static async Task<int> DeletePrefixAsync(this IObjectStore store, string bucket, string prefix, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var o in store.ListAllAsync(bucket, prefix, ct)) keys.Add(o.Key);
        foreach (var chunk in keys.Chunk(IObjectStore.MaxKeysPerDelete)) await store.DeleteManyAsync(bucket, chunk, ct);
        return keys.Count;
    }
}
