using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Storage;
using Scanport.Storage.Embedded;
using Scanport.Storage.S3;

namespace Scanport.Tests.Storage;

/// <summary>
/// <see cref="IObjectStore.CopyAsync"/>: a copy is an object of its own, which later writes to its source never reach. The
/// <c>s3</c> provider copies through the embedded endpoint's CopyObject, not s3rver's: s3rver decodes
/// <c>x-amz-copy-source</c> with <c>decodeURI</c>, which leaves the SDK's <c>%2F</c> encoded (AWS S3 and MinIO decode it).
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

    [Fact]
    public async Task The_s3_provider_copies_through_the_endpoints_CopyObject()
    {
        var authority = app.Services.GetRequiredService<CredentialAuthority>();
        using var store = new S3ObjectStore(Options.Create(new StorageOptions
        {
            Provider = "s3",
            Region = "us-east-1",
            S3 = new S3ProviderOptions
            {
                ServiceUrl = app.BaseAddress.ToString().TrimEnd('/'),
                AccessKeyId = authority.RootAccessKeyId,
                SecretAccessKey = authority.RootSecret,
                ForcePathStyle = true,
            },
        }), TimeProvider.System);
        await ExerciseAsync(store, "scanport");
    }

    [Fact]
    public async Task Upload_only_credentials_cannot_copy_what_they_cannot_read()
    {
        using var scope = app.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var prefix = $"copy-tests/{Guid.NewGuid():N}/";
        await store.PutAsync("scanport", prefix + "source.laz", new MemoryStream("committed"u8.ToArray()), null, CancellationToken.None);
        var credentials = await store.IssueCredentialsAsync(new CredentialScope("scanport", prefix, CredentialScope.UploadOnly),
            TimeSpan.FromMinutes(5), CancellationToken.None);
        using var client = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            new Amazon.S3.AmazonS3Config { ServiceURL = app.BaseAddress.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

        var refused = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() =>
            client.CopyObjectAsync("scanport", prefix + "source.laz", "scanport", prefix + "copy.laz"));

        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Null(await store.HeadAsync("scanport", prefix + "copy.laz", CancellationToken.None));
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
