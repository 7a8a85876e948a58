using System.Net;
using System.Net.Http.Headers;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>Who is refused what on OSS: scopes as APS names them, the platform's roles, organizations as walls, bad tokens.</summary>
[Collection(AppCollection.Name)]
public sealed class OssRefusalTests(ScanportApp app)
{
    [Fact]
    public async Task Another_organizations_bucket_is_not_found_on_every_call()
    {
        var owner = await OssSdk.CreateAsync(app);
        var stranger = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("walls");
        await owner.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var ownerHttp = owner.Http();
        var upload = await OssUploadTests.UploadAsync(ownerHttp, bucket, "secret.txt", "secret"u8.ToArray());
        var pending = await (await ownerHttp.GetAsync($"/oss/v2/buckets/{bucket}/objects/pending.txt/signeds3upload")).Status(HttpStatusCode.OK);

        await stranger.FailsAsync("getBucketDetails", new { bucketKey = bucket }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("getObjects", new { bucketKey = bucket }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "secret.txt" }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("signedS3Download", new { bucketKey = bucket, objectKey = "secret.txt" }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "secret.txt" }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "pending.txt", uploadKey = pending.GetProperty("uploadKey").GetString() }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("deleteObject", new { bucketKey = bucket, objectKey = "secret.txt" }, HttpStatusCode.NotFound);
        await stranger.FailsAsync("deleteBucket", new { bucketKey = bucket }, HttpStatusCode.NotFound);
        Assert.DoesNotContain(bucket, (await stranger.OkAsync("getBuckets", new { limit = 100 })).GetRawText());

        var still = await owner.OkAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "secret.txt" });
        Assert.Equal(upload.GetProperty("sha1").GetString(), still.GetProperty("sha1").GetString());
    }

    [Fact]
    public async Task Each_call_needs_its_scope()
    {
        var full = await OssSdk.CreateAsync(app);
        var bucket = OssSdk.NewBucketKey("scopes");
        await full.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var fullHttp = full.Http();
        await OssUploadTests.UploadAsync(fullHttp, bucket, "o.txt", "o"u8.ToArray());
        var client = await ApsClient.CreateAsync(app);
        var readOnly = await client.OssAsync("data:read");
        var bucketsOnly = await client.OssAsync("bucket:read");

        var refused = await readOnly.FailsAsync("createBucket", new { bucketKey = OssSdk.NewBucketKey("no"), policyKey = "transient" }, HttpStatusCode.Forbidden);
        Assert.Equal("AUTH-012", refused.GetProperty("errorCode").GetString());
        await readOnly.FailsAsync("getBuckets", null, HttpStatusCode.Forbidden);
        await readOnly.FailsAsync("deleteBucket", new { bucketKey = bucket }, HttpStatusCode.Forbidden);
        await readOnly.FailsAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "o.txt" }, HttpStatusCode.Forbidden);
        await readOnly.FailsAsync("completeSignedS3Upload", new { bucketKey = bucket, objectKey = "o.txt", uploadKey = "x" }, HttpStatusCode.Forbidden);
        await readOnly.FailsAsync("deleteObject", new { bucketKey = bucket, objectKey = "o.txt" }, HttpStatusCode.Forbidden);
        await bucketsOnly.FailsAsync("getObjects", new { bucketKey = bucket }, HttpStatusCode.Forbidden);
        await bucketsOnly.FailsAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "o.txt" }, HttpStatusCode.Forbidden);
        await bucketsOnly.FailsAsync("signedS3Download", new { bucketKey = bucket, objectKey = "o.txt" }, HttpStatusCode.Forbidden);
        // A scope of its own organization's is no way into another's: the bucket above is another client's organization.
        await bucketsOnly.FailsAsync("getBucketDetails", new { bucketKey = bucket }, HttpStatusCode.NotFound);
        await full.OkAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "o.txt" });
    }

    [Fact]
    public async Task Reviewers_read_and_operators_write_within_their_organization()
    {
        var client = await ApsClient.CreateAsync(app);
        var operatorKey = await client.OssAsync();
        var reviewer = await OssSdk.KeyOfAsync(client.Tenant, "reviewer");
        var admin = await OssSdk.KeyOfAsync(client.Tenant, "admin");
        var bucket = OssSdk.NewBucketKey("roles");
        await operatorKey.OkAsync("createBucket", new { bucketKey = bucket, policyKey = "persistent" });
        using var http = operatorKey.Http();
        await OssUploadTests.UploadAsync(http, bucket, "r.txt", "read me"u8.ToArray());

        Assert.Contains(bucket, (await reviewer.OkAsync("getBuckets")).GetRawText());
        await reviewer.OkAsync("getBucketDetails", new { bucketKey = bucket });
        await reviewer.OkAsync("getObjectDetails", new { bucketKey = bucket, objectKey = "r.txt" });
        var url = (await reviewer.OkAsync("signedS3Download", new { bucketKey = bucket, objectKey = "r.txt" })).GetProperty("url").GetString();
        using var plain = new HttpClient();
        Assert.Equal("read me", await plain.GetStringAsync(url));

        var refused = await reviewer.FailsAsync("createBucket", new { bucketKey = OssSdk.NewBucketKey("rev"), policyKey = "transient" }, HttpStatusCode.Forbidden);
        Assert.True(refused.TryGetProperty("reason", out _), refused.GetRawText());
        await reviewer.FailsAsync("signedS3Upload", new { bucketKey = bucket, objectKey = "x.txt" }, HttpStatusCode.Forbidden);
        await reviewer.FailsAsync("deleteObject", new { bucketKey = bucket, objectKey = "r.txt" }, HttpStatusCode.Forbidden);
        await reviewer.FailsAsync("deleteBucket", new { bucketKey = bucket }, HttpStatusCode.Forbidden);
        // A reviewer is refused before the bucket is looked up: a 403 whatever it names.
        await reviewer.FailsAsync("deleteBucket", new { bucketKey = OssSdk.NewBucketKey("none") }, HttpStatusCode.Forbidden);

        // The organization's buckets are every writer's of it, not only their creator's.
        await admin.OkAsync("deleteObject", new { bucketKey = bucket, objectKey = "r.txt" });
        await admin.OkAsync("deleteBucket", new { bucketKey = bucket });
    }

    [Fact]
    public async Task Missing_forged_and_platform_tokens_are_refused_in_APS_shape()
    {
        var oss = await OssSdk.CreateAsync(app);
        var forged = oss.Token[..^4] + (oss.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var tenant = await app.NewTenantAsync();

        foreach (var token in new[] { null, forged, "not-a-token", tenant.AdminToken })
        {
            using var http = app.Client(token);
            using var response = await http.GetAsync("/oss/v2/buckets");
            var body = await response.Status(HttpStatusCode.Unauthorized);
            Assert.Equal("AUTH-001", body.GetProperty("errorCode").GetString());
        }
        // The Node SDK's doubled slash reaches the same endpoint.
        using var doubled = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, app.BaseAddress.ToString().TrimEnd('/') + "//oss/v2/buckets");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", oss.Token);
        await (await doubled.SendAsync(request)).Status(HttpStatusCode.OK);
    }
}
