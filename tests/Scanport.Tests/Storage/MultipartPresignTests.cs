using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Storage;
using Scanport.Storage.Embedded;
using Scanport.Storage.S3;

namespace Scanport.Tests.Storage;

/// <summary>
/// <see cref="IObjectStore"/>'s multipart uploads with presigned part URLs (what APS's signed S3 upload is made of), on both
/// providers: the embedded store, the <c>s3</c> provider against the embedded endpoint (which checks every signature and
/// implements ListParts and AbortMultipartUpload), and the <c>s3</c> provider against s3rver, an independent server.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MultipartPresignTests(ScanportApp app) : IClassFixture<S3rver>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task The_embedded_store_takes_parts_on_presigned_URLs_and_completes_with_the_parts_it_lists()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ExerciseAsync(scope.ServiceProvider.GetRequiredService<IObjectStore>(), "scanport", $"multipart-tests/{Guid.NewGuid():N}/", listsParts: true);
    }

    [Fact]
    public async Task The_s3_provider_takes_parts_on_presigned_URLs_against_the_embedded_endpoint()
    {
        var authority = app.Services.GetRequiredService<CredentialAuthority>();
        using var store = Store(app.BaseAddress.ToString(), authority.RootAccessKeyId, authority.RootSecret);
        await ExerciseAsync(store, "scanport", $"multipart-tests/{Guid.NewGuid():N}/", listsParts: true);
    }

    [Fact]
    public async Task The_s3_provider_takes_parts_on_presigned_URLs_against_s3rver()
    {
        var s3rver = await S3rver.StartedAsync();
        using var store = Store(s3rver.Endpoint, "S3RVER", "S3RVER");
        // s3rver implements neither ListParts nor AbortMultipartUpload: completion uses the ETags the PUTs answered.
        await ExerciseAsync(store, S3rver.Bucket, $"multipart-tests/{Guid.NewGuid():N}/", listsParts: false);
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("s3 provider, embedded endpoint")]
    [InlineData("s3 provider, s3rver")]
    public async Task Parts_sent_through_the_server_make_the_object_and_a_part_sent_again_replaces_its_first_copy(string where)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var authority = app.Services.GetRequiredService<CredentialAuthority>();
        using var s3 = where switch
        {
            "embedded" => null,
            "s3 provider, embedded endpoint" => Store(app.BaseAddress.ToString(), authority.RootAccessKeyId, authority.RootSecret),
            _ => Store((await S3rver.StartedAsync()).Endpoint, "S3RVER", "S3RVER"),
        };
        var store = s3 ?? scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var bucket = where.EndsWith("s3rver", StringComparison.Ordinal) ? S3rver.Bucket : "scanport";
        var key = $"multipart-tests/{Guid.NewGuid():N}/through.bin";
        var parts = new[] { RandomNumberGenerator.GetBytes(5 * 1024 * 1024), RandomNumberGenerator.GetBytes(70_001) };
        var uploadId = await store.StartMultipartUploadAsync(bucket, key, null, Ct);

        var first = await store.UploadPartAsync(bucket, key, uploadId, 1, new MemoryStream(RandomNumberGenerator.GetBytes(5 * 1024 * 1024)), 5 * 1024 * 1024, Ct);
        var sent = new List<UploadedPart>();
        for (var n = 1; n <= 2; n++)
            sent.Add((await store.UploadPartAsync(bucket, key, uploadId, n, new MemoryStream(parts[n - 1]), parts[n - 1].Length, Ct))!);
        Assert.NotEqual(first!.ETag, sent[0].ETag);
        Assert.Equal(parts.Select(p => (long)p.Length), sent.Select(p => p.Size));

        var info = await store.CompleteMultipartUploadAsync(bucket, key, uploadId, sent, Ct);
        Assert.Equal(parts.Sum(p => (long)p.Length), info!.Size);
        await using var content = await store.GetAsync(bucket, key, null, Ct);
        using var back = new MemoryStream();
        await content!.Body.CopyToAsync(back);
        Assert.Equal(parts.SelectMany(p => p).ToArray(), back.ToArray());
        if (where != "s3 provider, s3rver") // s3rver does not know an upload it completed from one it never had
            Assert.Null(await store.UploadPartAsync(bucket, key, uploadId, 1, new MemoryStream([1]), 1, Ct));
    }

    private static async Task ExerciseAsync(IObjectStore store, string bucket, string prefix, bool listsParts)
    {
        var key = prefix + "object.bin";
        var parts = new[] { RandomNumberGenerator.GetBytes(5 * 1024 * 1024), RandomNumberGenerator.GetBytes(123_457) };
        var uploadId = await store.StartMultipartUploadAsync(bucket, key, null, Ct);
        using var http = new HttpClient();
        var sent = new List<UploadedPart>();
        // Sent out of order, as parallel clients do.
        foreach (var n in new[] { 2, 1 })
        {
            var url = store.PresignUploadPart(bucket, key, uploadId, n, TimeSpan.FromMinutes(5));
            using var put = await http.PutAsync(url, new ByteArrayContent(parts[n - 1]));
            Assert.True(put.IsSuccessStatusCode, $"part {n}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            sent.Add(new UploadedPart(n, put.Headers.ETag!.Tag, parts[n - 1].Length));
        }
        Assert.Null(await store.HeadAsync(bucket, key, Ct)); // nothing visible before completion

        var listed = listsParts ? (await store.ListUploadedPartsAsync(bucket, key, uploadId, Ct))! : sent.OrderBy(p => p.Number).ToList();
        Assert.Equal([1, 2], listed.Select(p => p.Number));
        Assert.Equal(parts.Select(p => (long)p.Length), listed.Select(p => p.Size));
        Assert.Equal(sent.OrderBy(p => p.Number).Select(p => p.ETag.Trim('"')), listed.Select(p => p.ETag.Trim('"')));
        var info = await store.CompleteMultipartUploadAsync(bucket, key, uploadId, listed, Ct);

        Assert.NotNull(info);
        var whole = parts.SelectMany(p => p).ToArray();
        Assert.Equal(whole.Length, info.Size);
        var url2 = store.PresignGet(bucket, key, TimeSpan.FromMinutes(5), new ResponseOverrides("model/gltf-binary", "attachment; filename=\"m.glb\""));
        using var got = await http.GetAsync(url2);
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal(SHA256.HashData(whole), SHA256.HashData(await got.Content.ReadAsByteArrayAsync()));
        Assert.Equal("model/gltf-binary", got.Content.Headers.ContentType!.MediaType);
        Assert.Equal("m.glb", got.Content.Headers.ContentDisposition!.FileName!.Trim('"'));

        if (!listsParts) return;
        Assert.Null(await store.ListUploadedPartsAsync(bucket, key, uploadId, Ct)); // completed: no longer an upload
        // An aborted upload leaves nothing behind and is gone.
        var dropped = await store.StartMultipartUploadAsync(bucket, prefix + "dropped.bin", null, Ct);
        using (var put = await http.PutAsync(store.PresignUploadPart(bucket, prefix + "dropped.bin", dropped, 1, TimeSpan.FromMinutes(5)), new ByteArrayContent([1, 2, 3])))
            Assert.True(put.IsSuccessStatusCode);
        Assert.True(await store.AbortMultipartUploadAsync(bucket, prefix + "dropped.bin", dropped, Ct));
        Assert.False(await store.AbortMultipartUploadAsync(bucket, prefix + "dropped.bin", dropped, Ct));
        Assert.Null(await store.ListUploadedPartsAsync(bucket, prefix + "dropped.bin", dropped, Ct));
        Assert.Null(await store.CompleteMultipartUploadAsync(bucket, prefix + "dropped.bin", dropped, [new UploadedPart(1, "\"x\"", 3)], Ct));
        Assert.Null(await store.HeadAsync(bucket, prefix + "dropped.bin", Ct));
        // A part URL's signature covers its upload and part number.
        var forged = store.PresignUploadPart(bucket, key, "another-upload", 1, TimeSpan.FromMinutes(5)).ToString().Replace("partNumber=1", "partNumber=2");
        using var refused = await http.PutAsync(forged, new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static S3ObjectStore Store(string endpoint, string accessKey, string secret) =>
        new(Options.Create(new StorageOptions
        {
            Provider = "s3",
            Region = "us-east-1",
            S3 = new S3ProviderOptions { ServiceUrl = endpoint.TrimEnd('/'), AccessKeyId = accessKey, SecretAccessKey = secret, ForcePathStyle = true },
        }), TimeProvider.System);
}
