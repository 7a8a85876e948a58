using Microsoft.Extensions.DependencyInjection;
using Scanport.Storage;

namespace Scanport.Tests.Storage;

/// <summary>
/// <see cref="IObjectStore.CopyAsync"/>: a copy is an object of its own, which later writes to its source never reach. The
/// <c>s3</c> provider's copy is not exercised here: s3rver decodes <c>x-amz-copy-source</c> with <c>decodeURI</c>, which
/// leaves the SDK's <c>%2F</c> encoded (AWS S3 and MinIO decode it), and the embedded endpoint does not take CopyObject.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ObjectCopyTests(ScanportApp app)
{
    [Fact]
    public async Task The_embedded_store_copies_an_object_that_outlives_changes_to_its_source()
    {
        using var scope = app.Services.CreateScope();
        await ExerciseAsync(scope.ServiceProvider.GetRequiredService<IObjectStore>(), "scanport");
    }

    private static async Task ExerciseAsync(IObjectStore store, string bucket)
    {
        var ct = CancellationToken.None;
        var prefix = $"copy-tests/{Guid.NewGuid():N}/";
        var original = "the committed bytes"u8.ToArray();
        await store.PutAsync(bucket, prefix + "source.laz", new MemoryStream(original), "application/octet-stream", ct);
        await store.PutAsync(bucket, prefix + "copy.laz", new MemoryStream("an older copy"u8.ToArray()), null, ct);

        var copied = await store.CopyAsync(bucket, prefix + "source.laz", prefix + "copy.laz", ct);
        await store.PutAsync(bucket, prefix + "source.laz", new MemoryStream("written over later"u8.ToArray()), null, ct);

        Assert.NotNull(copied);
        Assert.Equal((prefix + "copy.laz", original.Length), (copied.Key, copied.Size));
        Assert.Equal(original, await ReadAsync(store, bucket, prefix + "copy.laz"));
        Assert.True(await store.DeleteAsync(bucket, prefix + "source.laz", ct));
        Assert.Equal(original, await ReadAsync(store, bucket, prefix + "copy.laz"));
        Assert.Null(await store.CopyAsync(bucket, prefix + "source.laz", prefix + "other.laz", ct));
        Assert.Null(await store.HeadAsync(bucket, prefix + "other.laz", ct));
        Assert.True(await store.DeleteAsync(bucket, prefix + "copy.laz", ct));
    }

    private static async Task<byte[]> ReadAsync(IObjectStore store, string bucket, string key)
    {
        await using var content = await store.GetAsync(bucket, key, null, CancellationToken.None);
        Assert.NotNull(content);
        using var bytes = new MemoryStream();
        await content.Body.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
