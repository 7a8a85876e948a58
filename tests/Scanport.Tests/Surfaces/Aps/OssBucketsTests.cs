using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>OSS v2 buckets through APS's own Node client: create, conflict (also across organizations), list and page, details, delete.</summary>
[Collection(AppCollection.Name)]
public sealed class OssBucketsTests(ScanportApp app)
{
    [Fact]
    public async Task A_bucket_is_created_described_listed_and_deleted_with_the_SDK()
    {
        var oss = await OssSdk.CreateAsync(app);
        var key = OssSdk.NewBucketKey("life");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();

        var created = await oss.OkAsync("createBucket", new { bucketKey = key, policyKey = "persistent", region = "EMEA" });

        Assert.Equal(key, created.GetProperty("bucketKey").GetString());
        Assert.Equal("persistent", created.GetProperty("policyKey").GetString());
        Assert.InRange(created.GetProperty("createdDate").GetInt64(), before, DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeMilliseconds());
        var owner = created.GetProperty("bucketOwner").GetString();
        Assert.False(string.IsNullOrEmpty(owner));
        Assert.Equal(owner, created.GetProperty("permissions")[0].GetProperty("authId").GetString());
        Assert.Equal("full", created.GetProperty("permissions")[0].GetProperty("access").GetString());

        var details = await oss.OkAsync("getBucketDetails", new { bucketKey = key });
        Assert.Equal(created.GetRawText(), details.GetRawText());

        var emea = await oss.OkAsync("getBuckets", new { region = "EMEA" });
        Assert.Equal([key], emea.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("bucketKey").GetString()));
        Assert.Empty((await oss.OkAsync("getBuckets", new { region = "US" })).GetProperty("items").EnumerateArray());

        await oss.OkAsync("deleteBucket", new { bucketKey = key });
        await oss.FailsAsync("getBucketDetails", new { bucketKey = key }, HttpStatusCode.NotFound);
        // The key is free again.
        await oss.OkAsync("createBucket", new { bucketKey = key, policyKey = "transient" });
    }

    [Fact]
    public async Task A_bucket_key_is_taken_for_the_whole_installation()
    {
        var oss = await OssSdk.CreateAsync(app);
        var other = await OssSdk.CreateAsync(app);
        var key = OssSdk.NewBucketKey("taken");
        await oss.OkAsync("createBucket", new { bucketKey = key, policyKey = "transient" });

        var again = await oss.FailsAsync("createBucket", new { bucketKey = key, policyKey = "transient" }, HttpStatusCode.Conflict);
        var elsewhere = await other.FailsAsync("createBucket", new { bucketKey = key, policyKey = "persistent" }, HttpStatusCode.Conflict);

        Assert.Equal("Bucket already exists", again.GetProperty("reason").GetString());
        Assert.Equal("Bucket already exists", elsewhere.GetProperty("reason").GetString());
        // ... and yet it is not the other organization's to see.
        await other.FailsAsync("getBucketDetails", new { bucketKey = key }, HttpStatusCode.NotFound);
        Assert.Empty((await other.OkAsync("getBuckets")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Buckets_are_listed_in_key_order_a_page_at_a_time_following_next()
    {
        var oss = await OssSdk.CreateAsync(app);
        var prefix = $"page-{Guid.NewGuid():N}"[..20];
        var keys = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToList();
        foreach (var key in keys.AsEnumerable().Reverse()) await oss.OkAsync("createBucket", new { bucketKey = key, policyKey = "temporary" });

        var seen = new List<string>();
        string? startAt = null;
        var pages = 0;
        do
        {
            var page = await oss.OkAsync("getBuckets", new { limit = 2, startAt });
            pages++;
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            Assert.All(items, b => Assert.Equal("temporary", b.GetProperty("policyKey").GetString()));
            seen.AddRange(items.Select(b => b.GetProperty("bucketKey").GetString()!));
            if (!page.TryGetProperty("next", out var next)) break;
            var url = new Uri(next.GetString()!);
            Assert.Equal("/oss/v2/buckets", url.AbsolutePath);
            startAt = ApsClient.Query(url)["startAt"];
            Assert.Equal("2", ApsClient.Query(url)["limit"]);
        }
        while (true);

        Assert.Equal(keys, seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("{\"bucketKey\":\"UPPER-case\",\"policyKey\":\"transient\"}", "bucketKey")]
    [InlineData("{\"bucketKey\":\"ab\",\"policyKey\":\"transient\"}", "bucketKey")]
    [InlineData("{\"bucketKey\":\"has space\",\"policyKey\":\"transient\"}", "bucketKey")]
    [InlineData("{\"bucketKey\":\"fine-key-x\",\"policyKey\":\"forever\"}", "policyKey")]
    [InlineData("{\"bucketKey\":\"fine-key-y\"}", "policyKey")]
    [InlineData("{\"bucketKey\":5,\"policyKey\":\"transient\"}", "bucketKey")]
    [InlineData("{\"bucketKey\":\"fine-key-z\",\"policyKey\":\"transient\",\"allow\":[{\"authId\":\"x\",\"access\":\"all\"}]}", "allow")]
    [InlineData("{\"bucketKey\":\"fine-key\"", "JSON")]
    [InlineData("[]", "")]
    public async Task A_bad_bucket_is_refused_with_a_reason(string body, string named)
    {
        var oss = await OssSdk.CreateAsync(app);
        using var http = oss.Http();

        var refused = await (await http.PostRawAsync("/oss/v2/buckets", body)).Status(HttpStatusCode.BadRequest);

        Assert.Contains(named, refused.GetProperty("reason").GetString());
        Assert.Empty((await oss.OkAsync("getBuckets")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Bad_keys_regions_and_limits_are_refused_and_an_unknown_bucket_is_not_found()
    {
        var oss = await OssSdk.CreateAsync(app);
        using var http = oss.Http();

        await (await http.GetAsync($"/oss/v2/buckets/{new string('a', 129)}/details")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync("/oss/v2/buckets/Bad.Key/details")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync("/oss/v2/buckets?limit=0")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync("/oss/v2/buckets?limit=101")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync("/oss/v2/buckets?limit=ten")).Status(HttpStatusCode.BadRequest);
        await (await http.GetAsync("/oss/v2/buckets?region=MARS")).Status(HttpStatusCode.BadRequest);
        using var mars = new HttpRequestMessage(HttpMethod.Post, "/oss/v2/buckets") { Content = JsonContent(new { bucketKey = OssSdk.NewBucketKey("mars"), policyKey = "transient" }) };
        mars.Headers.Add("x-ads-region", "MARS");
        await (await http.SendAsync(mars)).Status(HttpStatusCode.BadRequest);
        var missing = await (await http.GetAsync($"/oss/v2/buckets/{OssSdk.NewBucketKey("nobody")}/details")).Status(HttpStatusCode.NotFound);
        Assert.Equal("Bucket not found", missing.GetProperty("reason").GetString());
        await (await http.DeleteAsync($"/oss/v2/buckets/{OssSdk.NewBucketKey("nobody")}")).Status(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_OSS_document_lists_every_route_with_OSS_error_bodies()
    {
        using var client = app.Client();
        var paths = (await (await client.GetAsync("/openapi/aps-oss.json")).Status(HttpStatusCode.OK)).GetProperty("paths");

        Assert.Equal(
            ["/oss/v2/buckets", "/oss/v2/buckets/{bucketKey}", "/oss/v2/buckets/{bucketKey}/details", "/oss/v2/buckets/{bucketKey}/objects",
             "/oss/v2/buckets/{bucketKey}/objects/{objectKey}", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/details",
             "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3download", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3upload"],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var conflict = paths.GetProperty("/oss/v2/buckets").GetProperty("post").GetProperty("responses").GetProperty("409");
        Assert.EndsWith("/OssReason", conflict.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema").GetProperty("$ref").GetString());
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
