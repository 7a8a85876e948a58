using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// Signed S3 uploads and downloads as APS's Node client does them (<c>uploadObject</c>: 5 MiB parts on presigned URLs of the
/// store, then a completion with the <c>uploadKey</c> only), and object listing, details and deletion.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OssUploadTests(ScanportApp app)
{
    [Fact]
    public async Task A_small_and_a_multipart_object_upload_with_the_SDK_and_come_back_byte_for_byte()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("up");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        var small = RandomNumberGenerator.GetBytes(1500);
        var large = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 7); // three 5 MiB parts, the last short
        using var files = new TempFiles();

        var smallDone = await oss.OkAsync("uploadObject", new { bucketKey = bucket, objectKey = "notes/small file.txt", file = files.Write(small), contentType = "text/plain" });
        var largeDone = await oss.OkAsync("uploadObject", new { bucketKey = bucket, objectKey = "scans/large.bin", file = files.Write(large) });

        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(small)), smallDone.GetProperty("sha1").GetString());
        Assert.Equal(small.Length, smallDone.GetProperty("size").GetInt64());
        Assert.Equal("text/plain", smallDone.GetProperty("contentType").GetString());
        Assert.Equal($"urn:adsk.objects:os.object:{bucket}/notes/small file.txt", smallDone.GetProperty("objectId").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(large)), largeDone.GetProperty("sha1").GetString());
        Assert.Equal(large.Length, largeDone.GetProperty("size").GetInt64());
        Assert.Equal("application/octet-stream", largeDone.GetProperty("contentType").GetString());

        var details = await oss.OkAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "notes/small file.txt", with = "createdDate" });
        Assert.Equal(bucket, details.GetProperty("bucketKey").GetString());
        Assert.Equal("notes/small file.txt", details.GetProperty("objectKey").GetString());
        Assert.Equal(smallDone.GetProperty("sha1").GetString(), details.GetProperty("sha1").GetString());
        Assert.EndsWith($"/oss/v2/buckets/{bucket}/objects/notes%2Fsmall%20file.txt", details.GetProperty("location").GetString());
        Assert.InRange(details.GetProperty("createdDate").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.False(details.TryGetProperty("lastModifiedDate", out _));

        var listed = await oss.OkAsync("getObjects", new { bucketKey = bucket, beginsWith = "scans/" });
        Assert.Equal(["scans/large.bin"], listed.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("objectKey").GetString()));
        Assert.Equal(large.Length, listed.GetProperty("items")[0].GetProperty("size").GetInt64());

        // The SDK's own download for the small one; plain HTTP on the signed URL for the large one (the SDK interleaves chunks past 5 MiB).
        var back = files.Path("small.back");
        await oss.OkAsync("downloadObject", new { bucketKey = bucket, objectKey = "notes/small file.txt", file = back });
        Assert.Equal(small, await File.ReadAllBytesAsync(back));
        var signed = await oss.OkAsync("signedS3Download", new { bucketKey = bucket, objectKey = "scans/large.bin", minutesExpiration = 5 });
        Assert.Equal("complete", signed.GetProperty("status").GetString());
        Assert.Equal(large.Length, signed.GetProperty("size").GetInt64());
        Assert.Equal(largeDone.GetProperty("sha1").GetString(), signed.GetProperty("sha1").GetString());
        using var plain = new HttpClient();
        Assert.Equal(SHA1.HashData(large), SHA1.HashData(await plain.GetByteArrayAsync(signed.GetProperty("url").GetString())));

        // Ranged, as the SDK asks them (its last range runs past the end, which is served up to the end).
        using var ranged = new HttpRequestMessage(HttpMethod.Get, signed.GetProperty("url").GetString());
        ranged.Headers.Range = new RangeHeaderValue(10 * 1024 * 1024 + 1, large.Length + 100);
        using var part = await plain.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(large.AsSpan(10 * 1024 * 1024 + 1).ToArray(), await part.Content.ReadAsByteArrayAsync());

        var smallUrl = (await oss.OkAsync("signedS3Download", new { bucketKey = bucket, objectKey = "notes/small file.txt", minutesExpiration = 5 })).GetProperty("url").GetString();
        await oss.OkAsync("deleteObject", new { bucketKey = bucket, objectKey = "scans/large.bin" });
        await oss.FailsAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "scans/large.bin" }, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync(signed.GetProperty("url").GetString())).StatusCode);
        await oss.OkAsync("deleteBucket", new { bucketKey = bucket });
        await oss.FailsAsync("signedS3Download", new { bucketKey = bucket, objectKey = "notes/small file.txt" }, HttpStatusCode.NotFound);
        // The bucket's bytes went with it: the URL signed before finds nothing now.
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync(smallUrl)).StatusCode);
    }

    [Fact]
    public async Task The_SDK_asks_for_more_URLs_past_25_parts_and_the_upload_stays_one_object()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("many");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "transient" });
        var bytes = RandomNumberGenerator.GetBytes(25 * 5 * 1024 * 1024 + 1); // 26 parts: the SDK asks for 25 URLs, then 1 more
        using var files = new TempFiles();

        var done = await oss.OkAsync("uploadObject", new { bucketKey = bucket, objectKey = "many.bin", file = files.Write(bytes) });

        Assert.Equal(bytes.Length, done.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(bytes)), done.GetProperty("sha1").GetString());
    }

    [Fact]
    public async Task A_download_URL_answers_with_the_type_and_disposition_asked_for()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("dl");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "transient" });
        using var files = new TempFiles();
        await oss.OkAsync("uploadObject", new { bucketKey = bucket, objectKey = "model.obj", file = files.Write("v 0 0 0\n"u8.ToArray()), contentType = "model/obj" });

        var stored = await oss.OkAsync("signedS3Download", new { bucketKey = bucket, objectKey = "model.obj" });
        var asked = await oss.OkAsync("signedS3Download", new
        {
            bucketKey = bucket,
            objectKey = "model.obj",
            responseContentType = "text/plain",
            responseContentDisposition = "attachment; filename=\"m.obj\"",
        });

        using var plain = new HttpClient();
        using var first = await plain.GetAsync(stored.GetProperty("url").GetString());
        Assert.Equal("model/obj", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal("model/obj", stored.GetProperty("params").GetProperty("content-type").GetString());
        using var second = await plain.GetAsync(asked.GetProperty("url").GetString());
        Assert.Equal("text/plain", second.Content.Headers.ContentType!.MediaType);
        Assert.Equal("m.obj", second.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal("attachment; filename=\"m.obj\"", asked.GetProperty("params").GetProperty("content-disposition").GetString());
        Assert.Equal("v 0 0 0\n", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Objects_are_listed_in_key_order_a_page_at_a_time()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("list");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var http = oss.Http();
        var keys = new[] { "a/1.txt", "a/2.txt", "a/3.txt", "b/1.txt" };
        foreach (var key in keys) await UploadAsync(http, bucket, key, System.Text.Encoding.UTF8.GetBytes(key));

        var seen = new List<string>();
        var url = $"/oss/v2/buckets/{bucket}/objects?beginsWith=a%2F&limit=2";
        while (true)
        {
            var page = await (await http.GetAsync(url)).Status(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("objectKey").GetString()!));
            if (!page.TryGetProperty("next", out var next)) break;
            url = new Uri(next.GetString()!).PathAndQuery;
        }

        Assert.Equal(keys[..3], seen);
    }

    [Fact]
    public async Task A_truncated_upload_is_refused_with_nothing_stored_and_can_be_finished()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("trunc");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var http = oss.Http();
        var parts = new[] { RandomNumberGenerator.GetBytes(5 * 1024 * 1024), RandomNumberGenerator.GetBytes(5 * 1024 * 1024), RandomNumberGenerator.GetBytes(1000) };
        var first = await oss.OkAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", parts = 2, minutesExpiration = 10 });
        var uploadKey = first.GetProperty("uploadKey").GetString()!;
        // The third URL comes later, for the same upload, as the SDK asks for more (firstPart, uploadKey).
        var more = await oss.OkAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", parts = 1, firstPart = 3, uploadKey, minutesExpiration = 10 });
        Assert.Equal(uploadKey, more.GetProperty("uploadKey").GetString());
        var urls = first.GetProperty("urls").EnumerateArray().Concat(more.GetProperty("urls").EnumerateArray()).Select(u => u.GetString()!).ToList();
        Assert.Equal(3, urls.Count);
        Assert.Contains("partNumber=3", urls[2]);
        using var plain = new HttpClient();
        var etags = new string[3];
        foreach (var i in new[] { 0, 2 }) etags[i] = await PutAsync(plain, urls[i], parts[i]);

        var pending = await oss.FailsAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", uploadKey }, HttpStatusCode.BadRequest);
        Assert.Contains("2", pending.GetProperty("reason").GetString());
        Assert.Contains("Pending", pending.GetProperty("reason").GetString());
        await oss.FailsAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "t.bin" }, HttpStatusCode.NotFound);

        etags[1] = await PutAsync(plain, urls[1], parts[1]);
        var whole = parts.SelectMany(p => p).ToArray();
        await oss.FailsAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", uploadKey, size = whole.Length + 1 }, HttpStatusCode.BadRequest);
        await oss.FailsAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", uploadKey, eTags = new[] { etags[1], etags[0], etags[2] } }, HttpStatusCode.BadRequest);
        await oss.FailsAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "t.bin" }, HttpStatusCode.NotFound);

        var done = await oss.OkAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", uploadKey, size = whole.Length, eTags = etags });
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(whole)), done.GetProperty("sha1").GetString());
        // Completed: the key is spent.
        await oss.FailsAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "t.bin", uploadKey }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Parts_too_small_are_refused()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("small");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        var urls = await oss.OkAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "s.bin", parts = 2 });
        using var plain = new HttpClient();
        foreach (var url in urls.GetProperty("urls").EnumerateArray()) await PutAsync(plain, url.GetString()!, RandomNumberGenerator.GetBytes(1024));

        var refused = await oss.FailsAsync("completeSignedS3Upload",
            new { bucketKey = bucket, objectKey = "s.bin", uploadKey = urls.GetProperty("uploadKey").GetString() }, HttpStatusCode.BadRequest);

        Assert.Contains("TooSmall", refused.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Upload_keys_are_good_only_for_their_object_and_organization()
    {
        var oss = await OssSdk.CreateAsync(app);
        var other = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("keys");
        var otherBucket = OssSdk.NewBucketKey("keys-o");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        await other.OkAsync("createBucket", new { bucketKey = otherBucket, policyKey = "persistent" });
        var upload = await oss.OkAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "k.bin" });
        var uploadKey = upload.GetProperty("uploadKey").GetString()!;
        using var plain = new HttpClient();
        await PutAsync(plain, upload.GetProperty("urls")[0].GetString()!, [1, 2, 3]);

        foreach (var (sdk, b, o, k) in new[]
        {
            (oss, bucket, "other.bin", uploadKey),
            (oss, bucket, "k.bin", "made-up-upload-key"),
            (oss, bucket, "k.bin", uploadKey[..^1] + (uploadKey[^1] == 'A' ? 'B' : 'A')),
            (other, otherBucket, "k.bin", uploadKey),
        })
        {
            var refused = await sdk.FailsAsync("completeSignedS3Upload", new { bucketKey = b, objectKey = o, uploadKey = k }, HttpStatusCode.BadRequest);
            Assert.Contains("uploadKey", refused.GetProperty("reason").GetString());
            await sdk.FailsAsync("signedS3Upload", new { bucketKey = b, objectKey = o, uploadKey = k }, HttpStatusCode.BadRequest);
        }
        using var http = oss.Http();
        await (await http.PostRawAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3upload", "{\"uploadKey\":")).Status(HttpStatusCode.BadRequest);
        await (await http.PostRawAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3upload", "{\"uploadKey\":42}")).Status(HttpStatusCode.BadRequest);
        await (await http.PostRawAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3upload", "{}")).Status(HttpStatusCode.BadRequest);
        await (await http.PostRawAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3upload", $"{{\"uploadKey\":\"{uploadKey}\",\"size\":-1}}")).Status(HttpStatusCode.BadRequest);
        foreach (var query in new[] { "parts=0", "parts=10001", "firstPart=0", "parts=2&firstPart=10000", "minutesExpiration=61", "minutesExpiration=0", "parts=x" })
            await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3upload?{query}")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/{Uri.EscapeDataString(new string('k', 1100))}/signeds3upload")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3download?minutesExpiration=90")).Status(HttpStatusCode.NotFound);

        // The right key still completes after all that.
        var done = await oss.OkAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "k.bin", uploadKey });
        Assert.Equal(3, done.GetProperty("size").GetInt64());
        await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/k.bin/signeds3download?minutesExpiration=90")).Status(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Keys_with_slashes_and_escapes_name_distinct_objects()
    {
        var oss = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("esc");
        await oss.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var http = oss.Http();
        await UploadAsync(http, bucket, "a/b", "slash"u8.ToArray());
        await UploadAsync(http, bucket, "a%2Fb", "percent"u8.ToArray());

        var slash = await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/a%2Fb/details")).Status(HttpStatusCode.OK);
        var percent = await (await http.GetAsync($"/oss/v2/buckets/{bucket}/objects/a%252Fb/details")).Status(HttpStatusCode.OK);

        Assert.Equal("a/b", slash.GetProperty("objectKey").GetString());
        Assert.Equal(5, slash.GetProperty("size").GetInt64());
        Assert.Equal("a%2Fb", percent.GetProperty("objectKey").GetString());
        Assert.Equal(7, percent.GetProperty("size").GetInt64());
    }

    /// <summary>The signed S3 flow by hand: URLs, one PUT, completion.</summary>
    internal static async Task<JsonElement> UploadAsync(HttpClient http, string bucket, string objectKey, byte[] bytes)
    {
        var path = $"/oss/v2/buckets/{bucket}/objects/{Uri.EscapeDataString(objectKey)}/signeds3upload";
        var urls = await (await http.GetAsync(path)).Status(HttpStatusCode.OK);
        using var plain = new HttpClient();
        await PutAsync(plain, urls.GetProperty("urls")[0].GetString()!, bytes);
        return await (await http.PostAsJsonAsync(path, new { uploadKey = urls.GetProperty("uploadKey").GetString() })).Status(HttpStatusCode.OK);
    }

    internal static async Task<string> PutAsync(HttpClient plain, string url, byte[] bytes)
    {
        using var put = await plain.PutAsync(url, new ByteArrayContent(bytes));
        Assert.True(put.IsSuccessStatusCode, $"PUT {url}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        return put.Headers.ETag!.Tag;
    }
}

/// <summary>Files a test writes for the SDK to read, deleted with it.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("oss-test-");

    public string Path(string name) => System.IO.Path.Combine(_dir.FullName, name);

    public string Write(byte[] bytes)
    {
        var path = Path(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
