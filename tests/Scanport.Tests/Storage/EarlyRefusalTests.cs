using System.Net;
using System.Security.Cryptography;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>
/// A refusal answered before the request's body was read must leave the client's connection usable: either
/// the body is read and discarded, or the connection is closed and says so. A connection kept open with the
/// body still owed turns the client's next request into that body (boto3 and aws-cli saw spurious 400s).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EarlyRefusalTests(ScanportApp app)
{
    [Theory]
    [InlineData(true, 300)]
    [InlineData(false, 300)]
    [InlineData(false, 4 * 1024 * 1024)]
    public async Task The_request_after_a_refused_upload_is_answered_as_itself(bool expectContinue, int bodySize)
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "early/");
        var endpoint = new Uri(c.Endpoint);
        var (path, host, headers) = SignedRequests.Put(c, c.Prefix + "forged.bin", SigV4.UnsignedPayload);
        var forged = headers.Select(h => h.Name == "Authorization" ? (h.Name, h.Value[..^64] + new string('0', 64)) : h).ToList();
        var connection = await RawConnection.OpenAsync(endpoint);
        try
        {
            var refused = await connection.SendAsync("PUT", path, host, forged, RandomNumberGenerator.GetBytes(bodySize), expectContinue);
            Assert.Equal(403, refused.Status);
            Assert.Equal("SignatureDoesNotMatch", SignedRequests.ErrorCode(refused.Body));

            // What a client does next: a fresh connection when told the connection closes, else the same one.
            if (refused.ClosesConnection)
            {
                connection.Dispose();
                connection = await RawConnection.OpenAsync(endpoint);
            }
            var (okPath, _, okHeaders) = SignedRequests.Put(c, c.Prefix + "next.bin", SigV4.UnsignedPayload);
            var next = await connection.SendAsync("PUT", okPath, host, okHeaders, "the next upload"u8.ToArray(), expectContinue);
            Assert.Equal(200, next.Status);
        }
        finally
        {
            connection.Dispose();
        }

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(SignedRequests.Message(c, HttpMethod.Head, c.Prefix + "forged.bin"))).StatusCode);
        var stored = await http.SendAsync(SignedRequests.Message(c, HttpMethod.Get, c.Prefix + "next.bin"));
        Assert.Equal("the next upload", await stored.Content.ReadAsStringAsync());
    }
}
