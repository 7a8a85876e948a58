using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Storage;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>Everything the embedded endpoint must refuse, each with S3's own error code and nothing written.</summary>
[Collection(AppCollection.Name)]
public sealed class RefusalTests(ScanportApp app)
{
    private static async Task<string> Boto3Async(S3Credentials c, string action) =>
        await ExternalProgram.PythonAsync($$"""
            import boto3, os
            s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"])
            b, p = os.environ["S3_BUCKET"], os.environ["S3_PREFIX"]
            try:
                {{action}}
                print("OK")
            except s3.exceptions.ClientError as e:
                print(e.response["Error"]["Code"])
            """, c.Environment());

    [Fact]
    public async Task Credentials_are_refused_outside_their_prefix_and_bucket()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "mine/");
        Assert.Equal("AccessDenied", (await Boto3Async(c, "s3.put_object(Bucket=b, Key=p.replace('mine/', 'theirs/') + 'x', Body=b'x')")).Trim());
        Assert.Equal("AccessDenied", (await Boto3Async(c, "s3.put_object(Bucket='sodex-integrations', Key=p + 'x', Body=b'x')")).Trim());
        Assert.Equal("AccessDenied", (await Boto3Async(c, "s3.list_objects_v2(Bucket=b, Prefix='org/')")).Trim());
        Assert.Equal("OK", (await Boto3Async(c, "s3.put_object(Bucket=b, Key=p + 'x', Body=b'x')")).Trim());
    }

    [Fact]
    public async Task Expired_forged_and_tampered_credentials_are_refused_and_write_nothing()
    {
        var valid = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "auth/");
        var authority = app.Services.GetRequiredService<CredentialAuthority>();
        var expired = authority.Issue(new CredentialScope(valid.Bucket, valid.Prefix, CredentialScope.ReadWrite), TimeSpan.FromSeconds(-5));
        var put = "s3.put_object(Bucket=b, Key=p + 'refused', Body=b'x')";

        Assert.Equal("ExpiredToken", (await Boto3Async(valid with { AccessKeyId = expired.AccessKeyId, Secret = expired.SecretAccessKey, SessionToken = expired.SessionToken }, put)).Trim());
        Assert.Equal("SignatureDoesNotMatch", (await Boto3Async(valid with { Secret = valid.Secret[..^2] + "xx" }, put)).Trim());
        var tampered = valid.SessionToken.Replace(valid.SessionToken[5], valid.SessionToken[5] == 'A' ? 'B' : 'A');
        Assert.Equal("InvalidToken", (await Boto3Async(valid with { SessionToken = tampered }, put)).Trim());
        Assert.Equal("InvalidAccessKeyId", (await Boto3Async(valid with { AccessKeyId = "AKIAEXAMPLEEXAMPLE00", SessionToken = "" }, put)).Trim());

        Assert.Equal("404", (await Boto3Async(valid, "s3.head_object(Bucket=b, Key=p + 'refused')")).Trim());
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_signed_sha256_is_refused_and_not_stored()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "digest/");
        var key = c.Prefix + "tampered.txt";
        using var http = new HttpClient();
        var request = SignedPut(c, key, signedBody: "the body that was signed"u8.ToArray(), sentBody: "a different body!!!!!!!!"u8.ToArray());

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>XAmzContentSHA256Mismatch</Code>", await response.Content.ReadAsStringAsync());
        Assert.Equal("404", (await Boto3Async(c, $"s3.head_object(Bucket=b, Key='{key}')")).Trim());
        var incoming = Path.Combine(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Scanport.Data.ScanportOptions>>().Value.DataDir, "blobs", "incoming");
        Assert.Empty(Directory.EnumerateFiles(incoming));
    }

    [Fact]
    public async Task Presigned_urls_work_once_signed_and_are_refused_after_expiry_or_with_another_key_or_header()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "presign/");
        var key = c.Prefix + "photo.jpg";
        var body = "jpeg bytes"u8.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        using var scope = app.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var put = store.PresignPut(c.Bucket, key, TimeSpan.FromMinutes(15),
            new Dictionary<string, string> { ["content-type"] = "image/jpeg", ["x-amz-content-sha256"] = sha });
        using var http = new HttpClient();

        var wrongType = await http.SendAsync(Put(put, body, "image/png", sha));
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await wrongType.Content.ReadAsStringAsync());
        var wrongBody = await http.SendAsync(Put(put, "other bytes"u8.ToArray(), "image/jpeg", sha));
        Assert.Contains("<Code>XAmzContentSHA256Mismatch</Code>", await wrongBody.Content.ReadAsStringAsync());
        var ok = await http.SendAsync(Put(put, body, "image/jpeg", sha));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var get = store.PresignGet(c.Bucket, key, TimeSpan.FromMinutes(5));
        Assert.Equal(body, await http.GetByteArrayAsync(get));
        var otherKey = new Uri(get.ToString().Replace("photo.jpg", "other.jpg"));
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await (await http.GetAsync(otherKey)).Content.ReadAsStringAsync());

        var shortLived = store.PresignGet(c.Bucket, key, TimeSpan.FromSeconds(1));
        await Task.Delay(2100);
        var expired = await http.GetAsync(shortLived);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("Request has expired", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_without_a_signature_are_access_denied()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var response = await http.GetAsync("/scanport/anything");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Keys_over_1024_bytes_of_UTF8_are_refused_with_KeyTooLongError()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "long/");
        var room = 1024 - System.Text.Encoding.UTF8.GetByteCount(c.Prefix);
        var longest = c.Prefix + new string('a', room);
        var tooLong = c.Prefix + new string('é', room / 2 + 1); // fewer than 1,024 characters, more than 1,024 bytes
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(SignedRequests.Message(c, HttpMethod.Put, longest, body: "x"u8.ToArray()))).StatusCode);
        var refused = await http.SendAsync(SignedRequests.Message(c, HttpMethod.Put, tooLong, body: "x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("KeyTooLongError", SignedRequests.ErrorCode(await refused.Content.ReadAsStringAsync()));
        var upload = await http.SendAsync(SignedRequests.Message(c, HttpMethod.Post, tooLong, "uploads"));
        Assert.Equal("KeyTooLongError", SignedRequests.ErrorCode(await upload.Content.ReadAsStringAsync()));
        Assert.Equal("['" + longest + "']", (await Boto3Async(c, "print([o['Key'] for o in s3.list_objects_v2(Bucket=b, Prefix=p)['Contents']])")).Trim().Split('\n')[0]);
    }

    [Fact]
    public async Task Signed_requests_to_an_unknown_bucket_get_NoSuchBucket_and_other_requests_keep_their_404()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "nobucket/");
        var elsewhere = c with { Bucket = "no-such-bucket" };
        using var http = new HttpClient();

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
        {
            var response = await http.SendAsync(SignedRequests.Message(elsewhere, method, c.Prefix + "x", body: method == HttpMethod.Put ? "x"u8.ToArray() : null));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("NoSuchBucket", SignedRequests.ErrorCode(await response.Content.ReadAsStringAsync()));
        }
        var listing = await http.SendAsync(SignedRequests.Message(elsewhere, HttpMethod.Get, ""));
        Assert.Equal("NoSuchBucket", SignedRequests.ErrorCode(await listing.Content.ReadAsStringAsync()));
        var presigned = await http.GetAsync(new Uri(app.BaseAddress, "/no-such-bucket/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00"));
        Assert.Equal("NoSuchBucket", SignedRequests.ErrorCode(await presigned.Content.ReadAsStringAsync()));

        // The same paths without a signature are no S3 request: the platform answers as it did.
        using var platform = (await app.NewTenantAsync()).Admin();
        var unknown = await platform.GetAsync("/no-such-bucket/x");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.NotEqual("application/xml", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await platform.DeleteAsync("/platform/v1/me")).StatusCode);
        Assert.NotEqual("application/xml", (await http.GetAsync(new Uri(app.BaseAddress, "/no-such-bucket/x"))).Content.Headers.ContentType?.MediaType);
    }

    private static HttpRequestMessage Put(Uri url, byte[] body, string contentType, string sha)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add("x-amz-content-sha256", sha);
        return request;
    }

    /// <summary>A SigV4 PUT signed for one body and sent with another (no SDK would do this).</summary>
    private static HttpRequestMessage SignedPut(S3Credentials c, string key, byte[] signedBody, byte[] sentBody)
    {
        var (path, _, headers) = SignedRequests.Put(c, key, Convert.ToHexStringLower(SHA256.HashData(signedBody)));
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(c.Endpoint), path)) { Content = new ByteArrayContent(sentBody) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
