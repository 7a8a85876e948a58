using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>
/// An <c>aws-chunked</c> body is stored only when it decodes to exactly <c>x-amz-decoded-content-length</c>
/// bytes and carries every trailer <c>x-amz-trailer</c> announced.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StreamedBodyTests(ScanportApp app)
{
    private static readonly byte[] Data = RandomNumberGenerator.GetBytes(100 * 1024 + 3);

    [Fact]
    public async Task A_body_shorter_or_longer_than_its_decoded_length_is_refused_with_IncompleteBody_and_not_stored()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "length/");

        Assert.Equal("", await PutAsync(c, "exact.bin", Data.Length, Crc32Trailer(Data)));
        Assert.Equal("IncompleteBody", await PutAsync(c, "shorter.bin", Data.Length + 1, Crc32Trailer(Data)));
        Assert.Equal("IncompleteBody", await PutAsync(c, "longer.bin", Data.Length - 1, Crc32Trailer(Data)));
        Assert.Equal("MissingContentLength", await PutAsync(c, "undeclared.bin", null, Crc32Trailer(Data)));

        Assert.Equal(HttpStatusCode.OK, await HeadAsync(c, "exact.bin"));
        foreach (var name in new[] { "shorter.bin", "longer.bin", "undeclared.bin" })
            Assert.Equal(HttpStatusCode.NotFound, await HeadAsync(c, name));
    }

    [Fact]
    public async Task A_declared_checksum_trailer_that_never_comes_is_refused_with_MalformedTrailerError_and_not_stored()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "notrailer/");

        Assert.Equal("MalformedTrailerError", await PutAsync(c, "missing.bin", Data.Length, trailer: null, declared: "x-amz-checksum-crc32"));

        Assert.Equal(HttpStatusCode.NotFound, await HeadAsync(c, "missing.bin"));
    }

    private static (string Name, string Value) Crc32Trailer(byte[] data)
    {
        var crc32 = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc32, Crc32.HashToUInt32(data));
        return ("x-amz-checksum-crc32", Convert.ToBase64String(crc32));
    }

    private static async Task<HttpStatusCode> HeadAsync(S3Credentials c, string name)
    {
        using var http = new HttpClient();
        return (await http.SendAsync(SignedRequests.Message(c, HttpMethod.Head, c.Prefix + name))).StatusCode;
    }

    /// <summary>An unsigned aws-chunked PUT of <see cref="Data"/> in 32 KiB chunks; the S3 error code, or "" when stored.</summary>
    private static async Task<string> PutAsync(S3Credentials c, string name, long? decodedLength, (string Name, string Value)? trailer,
        string? declared = null)
    {
        var body = new MemoryStream();
        for (var at = 0; at < Data.Length; at += 32 * 1024)
        {
            var n = Math.Min(32 * 1024, Data.Length - at);
            body.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            body.Write(Data, at, n);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes(trailer is var (t, v) ? $"0\r\n{t}:{v}\r\n\r\n" : "0\r\n\r\n"));
        var (path, _, headers) = SignedRequests.Put(c, c.Prefix + name, SigV4.StreamingUnsignedTrailer);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(c.Endpoint), path)) { Content = new ByteArrayContent(body.ToArray()) };
        foreach (var (header, value) in headers) request.Headers.TryAddWithoutValidation(header, value);
        if ((declared ?? trailer?.Name) is { } announced) request.Headers.TryAddWithoutValidation("x-amz-trailer", announced);
        if (decodedLength is { } length) request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", length.ToString(CultureInfo.InvariantCulture));
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        using var http = new HttpClient();
        var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK ? "" : SignedRequests.ErrorCode(await response.Content.ReadAsStringAsync());
    }
}
