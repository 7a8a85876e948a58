using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scanport.Data;
using Scanport.Storage;
using Scanport.Surfaces.Aps.Oss;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// Time on OSS, on a server of its own whose clock the test moves on: signed URLs expire, upload keys expire, and the
/// objects of transient and temporary buckets vanish after their policy's time, bytes and all.
/// </summary>
public sealed class OssExpiryTests : IAsyncLifetime
{
    private readonly ShiftedClock _clock = new();
    private ScanportApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await ScanportApp.StartAsync(new Dictionary<string, string>(), services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    public async Task DisposeAsync() => await ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task Signed_URLs_and_upload_keys_expire()
    {
        var client = await ApsClient.CreateAsync(_app);
        var oss = await client.OssAsync();
        var bucket = OssSdk.NewBucketKey("exp");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var http = oss.Http();
        await OssUploadTests.UploadAsync(http, bucket, "kept.txt", "kept"u8.ToArray());
        var upload = await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/late.bin/signeds3upload?minutesExpiration=1")).Status(HttpStatusCode.OK);
        var download = await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/kept.txt/signeds3download?minutesExpiration=1")).Status(HttpStatusCode.OK);

        _clock.Offset = TimeSpan.FromMinutes(2);
        using var plain = new HttpClient();
        using var put = await plain.PutAsync(upload.GetProperty("urls")[0].GetString(), new ByteArrayContent([1, 2, 3]));
        using var get = await plain.GetAsync(download.GetProperty("url").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("expired", await put.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        // Fresh URLs for the same upload still work within its day.
        var again = await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/late.bin/signeds3upload?uploadKey={upload.GetProperty("uploadKey").GetString()}"))
            .Status(HttpStatusCode.OK);
        await OssUploadTests.PutAsync(plain, again.GetProperty("urls")[0].GetString()!, [1, 2, 3]);

        // A day later the upload is gone: its key is refused, and pruning drops its parts from the store.
        _clock.Offset = TimeSpan.FromHours(25);
        using var later = (await client.OssAsync()).Http();
        var refused = await (await later.PostAsync($"/oss/v2/buckets/{bucket}/objects/late.bin/signeds3upload",
            new StringContent($"{{\"uploadKey\":\"{upload.GetProperty("uploadKey").GetString()}\"}}", System.Text.Encoding.UTF8, "application/json")))
            .Status(HttpStatusCode.BadRequest);
        Assert.Contains("expired", refused.GetProperty("reason").GetString());
        var (_, uploads) = await PruneAsync();
        Assert.True(uploads >= 1);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<ScanportDb>().OssUploads.AnyAsync(u => u.BucketKey == bucket));
        // A persistent bucket keeps its objects.
        await (await later.GetAsync($"/oss/v2/buckets/{bucket}/objects/kept.txt/details")).Status(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("transient", 24)]
    [InlineData("temporary", 30 * 24)]
    public async Task Objects_vanish_after_their_buckets_policy_with_their_bytes(string policy, int hours)
    {
        _clock.Offset = TimeSpan.Zero;
        var client = await ApsClient.CreateAsync(_app);
        var oss = await client.OssAsync();
        var bucket = OssSdk.NewBucketKey(policy);
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = policy });
        using var http = oss.Http();
        var bytes = RandomNumberGenerator.GetBytes(2048);
        await OssUploadTests.UploadAsync(http, bucket, "short-lived.bin", bytes);
        var orgId = client.Tenant.OrgId;

        _clock.Offset = TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(5);
        using (var before = (await client.OssAsync()).Http())
            await (await before.GetAsync($"/oss/v2/buckets/{bucket}/objects/short-lived.bin/details")).Status(HttpStatusCode.OK);

        _clock.Offset = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(5);
        using var after = (await client.OssAsync()).Http();
        // Hidden at once, before any pruning ...
        await (await after.GetAsync($"/oss/v2/buckets/{bucket}/objects/short-lived.bin/details")).Status(HttpStatusCode.NotFound);
        var listed = await (await after.GetAsync($"/oss/v2/buckets/{bucket}/objects")).Status(HttpStatusCode.OK);
        Assert.Empty(listed.GetProperty("items").EnumerateArray());
        // ... and gone from the database and the store once pruned.
        var (objects, _) = await PruneAsync();
        Assert.True(objects >= 1);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<ScanportDb>().OssObjects.AnyAsync(o => o.BucketKey == bucket));
        var at = scope.ServiceProvider.GetRequiredService<OssCatalog>().Location(orgId, bucket, "short-lived.bin")!.Value;
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IObjectStore>().HeadAsync(at.Bucket, at.Key, CancellationToken.None));
        // The bucket itself stays.
        await (await after.GetAsync($"/oss/v2/buckets/{bucket}/details")).Status(HttpStatusCode.OK);
    }

    private async Task<(int Objects, int Uploads)> PruneAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OssCatalog>().PruneAsync(CancellationToken.None);
    }

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
