using System.Net;
using Amazon.S3.Model;

namespace Scanport.Tests.Storage;

/// <summary>Stored objects are served from Scanport's own origin: a browser must download them, never render or run them.</summary>
[Collection(AppCollection.Name)]
public sealed class ObjectDispositionTests(ScanportApp app)
{
    [Fact]
    public async Task An_uploaded_HTML_page_is_served_as_a_sandboxed_download_even_when_inline_is_asked()
    {
        var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "pages/");
        using var s3 = creds.SdkClient();
        var key = creds.Prefix + "page.html";
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = creds.Bucket,
            Key = key,
            ContentType = "text/html",
            ContentBody = "<script>alert(document.cookie)</script>",
        });

        using var browser = new HttpClient();
        foreach (var overrides in new ResponseHeaderOverrides?[] { null, new() { ContentDisposition = "inline" } })
        {
            var response = await browser.GetAsync(Presign(s3, creds, key, overrides));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            AssertSandboxed(response);
        }
        // A harmless type asked for as HTML is a download too.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = creds.Bucket, Key = creds.Prefix + "note.txt", ContentType = "text/plain", ContentBody = "<b>hi</b>" });
        var disguised = await browser.GetAsync(Presign(s3, creds, creds.Prefix + "note.txt",
            new ResponseHeaderOverrides { ContentType = "text/html", ContentDisposition = "inline" }));
        Assert.Equal(("text/html", "attachment"), (disguised.Content.Headers.ContentType?.MediaType, disguised.Content.Headers.ContentDisposition?.DispositionType));
        AssertSandboxed(disguised);
    }

    [Fact]
    public async Task A_harmless_object_is_a_download_unless_the_signed_request_asks_for_another_disposition()
    {
        var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "photos/");
        using var s3 = creds.SdkClient();
        var key = creds.Prefix + "note.txt";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = creds.Bucket, Key = key, ContentType = "text/plain", ContentBody = "hello" });

        using var browser = new HttpClient();
        var plain = await browser.GetAsync(Presign(s3, creds, key, null));
        Assert.Equal("attachment", plain.Content.Headers.ContentDisposition?.DispositionType);
        AssertSandboxed(plain);
        var inline = await browser.GetAsync(Presign(s3, creds, key, new ResponseHeaderOverrides { ContentDisposition = "inline; filename=\"note.txt\"" }));
        Assert.Equal(("inline", "note.txt"), (inline.Content.Headers.ContentDisposition?.DispositionType, inline.Content.Headers.ContentDisposition?.FileName));
        Assert.Equal("hello", await inline.Content.ReadAsStringAsync());
    }

    private static string Presign(Amazon.S3.AmazonS3Client s3, S3Credentials creds, string key, ResponseHeaderOverrides? overrides)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = creds.Bucket,
            Key = key,
            Verb = Amazon.S3.HttpVerb.GET,
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(5),
            Protocol = Amazon.S3.Protocol.HTTP,
        };
        if (overrides is not null) request.ResponseHeaderOverrides = overrides;
        return s3.GetPreSignedURL(request);
    }

    private static void AssertSandboxed(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("sandbox", csp);
    }
}
