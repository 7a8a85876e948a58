using System.Net;
using System.Text;

namespace Scanport.Tests.Storage;

/// <summary>
/// The XML bodies the endpoint reads (DeleteObjects, CompleteMultipartUpload) are bounded in depth, element
/// count and size, and refused with MalformedXML past those bounds, before anything is deleted or completed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class XmlBodyTests(ScanportApp app)
{
    [Fact]
    public async Task A_delete_nested_deep_is_refused_with_MalformedXML_and_deletes_nothing()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "nested/");
        await PutAsync(c, "victim");
        var deep = $"<Delete><Object><Key>{c.Prefix}victim</Key></Object><Object><Key>{c.Prefix}x</Key>"
            + Repeat("<a>", 100_000) + Repeat("</a>", 100_000) + "</Object></Delete>";

        Assert.Equal("MalformedXML", await DeleteAsync(c, deep));
        Assert.True(await ExistsAsync(c, "victim"));
    }

    [Fact]
    public async Task A_delete_flooded_with_elements_is_refused_with_MalformedXML_and_deletes_nothing()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "flood/");
        await PutAsync(c, "victim");
        var flood = $"<Delete><Object><Key>{c.Prefix}victim</Key></Object>" + Repeat("<Junk/>", 20_000) + "</Delete>";

        Assert.Equal("MalformedXML", await DeleteAsync(c, flood));
        Assert.True(await ExistsAsync(c, "victim"));
    }

    [Fact]
    public async Task A_delete_body_over_2_MiB_is_refused_with_MalformedXML_and_deletes_nothing()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "huge/");
        await PutAsync(c, "victim");
        var huge = $"<Delete><Object><Key>{c.Prefix}victim</Key></Object><Quiet>{new string(' ', 2 * 1024 * 1024)}</Quiet></Delete>";

        Assert.Equal("MalformedXML", await DeleteAsync(c, huge));
        Assert.True(await ExistsAsync(c, "victim"));
    }

    [Fact]
    public async Task A_delete_within_bounds_still_deletes()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "bounded/");
        await PutAsync(c, "one");
        await PutAsync(c, "two");
        var body = $"<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet><Object><Key>{c.Prefix}one</Key></Object>"
            + $"<Object><Key>{c.Prefix}two</Key><VersionId>null</VersionId></Object></Delete>";

        Assert.Equal("", await DeleteAsync(c, body));
        Assert.False(await ExistsAsync(c, "one"));
        Assert.False(await ExistsAsync(c, "two"));
    }

    [Fact]
    public async Task Completing_an_upload_with_more_than_10000_parts_is_refused_with_MalformedXML()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "parts/");
        using var s3 = c.SdkClient();
        var upload = await s3.InitiateMultipartUploadAsync(c.Bucket, c.Prefix + "many");
        var body = new StringBuilder("<CompleteMultipartUpload>");
        for (var n = 1; n <= 10_001; n++) body.Append($"<Part><PartNumber>{n}</PartNumber><ETag>\"00000000000000000000000000000000\"</ETag></Part>");
        body.Append("</CompleteMultipartUpload>");

        using var http = new HttpClient();
        var response = await http.SendAsync(SignedRequests.Message(c, HttpMethod.Post, c.Prefix + "many", "uploadId=" + upload.UploadId,
            Encoding.UTF8.GetBytes(body.ToString())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MalformedXML", SignedRequests.ErrorCode(await response.Content.ReadAsStringAsync()));
    }

    private static string Repeat(string s, int times) => string.Concat(Enumerable.Repeat(s, times));

    private static async Task PutAsync(S3Credentials c, string name)
    {
        using var http = new HttpClient();
        var response = await http.SendAsync(SignedRequests.Message(c, HttpMethod.Put, c.Prefix + name, body: "x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<bool> ExistsAsync(S3Credentials c, string name)
    {
        using var http = new HttpClient();
        return (await http.SendAsync(SignedRequests.Message(c, HttpMethod.Head, c.Prefix + name))).StatusCode == HttpStatusCode.OK;
    }

    /// <summary>A DeleteObjects call with a hand-written body: the S3 error code, or "" when it succeeded.</summary>
    private static async Task<string> DeleteAsync(S3Credentials c, string xml)
    {
        using var http = new HttpClient();
        var response = await http.SendAsync(SignedRequests.Message(c, HttpMethod.Post, "", "delete", Encoding.UTF8.GetBytes(xml)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK || SignedRequests.ErrorCode(text).Length > 0, $"{(int)response.StatusCode}: {text}");
        return response.StatusCode == HttpStatusCode.OK ? "" : SignedRequests.ErrorCode(text);
    }
}
