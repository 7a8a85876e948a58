using System.Buffers.Binary;
using System.IO.Hashing;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>A body is stored only when it matches every digest its request declared: Content-MD5, checksum headers, checksum trailers.</summary>
[Collection(AppCollection.Name)]
public sealed class ChecksumTests(ScanportApp app)
{
    [Fact]
    public async Task Boto3_bodies_that_match_their_checksums_are_stored_and_the_others_refused_with_BadDigest()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "sums/");
        var output = await ExternalProgram.PythonAsync("""
            import boto3, os, base64, hashlib
            s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"])
            b, p = os.environ["S3_BUCKET"], os.environ["S3_PREFIX"]
            data = os.urandom(3 * 1024 * 1024 + 5)
            other = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
            def put(name, **kw):
                try:
                    s3.put_object(Bucket=b, Key=p + name, Body=data, **kw)
                    return "OK" if s3.get_object(Bucket=b, Key=p + name)["Body"].read() == data else "DIFFERENT"
                except s3.exceptions.ClientError as e:
                    return e.response["Error"]["Code"]
            def stored(name):
                try:
                    s3.head_object(Bucket=b, Key=p + name)
                    return "stored"
                except s3.exceptions.ClientError as e:
                    return e.response["Error"]["Code"]
            print(put("crc32", ChecksumAlgorithm="CRC32"), put("sha1", ChecksumAlgorithm="SHA1"), put("sha256", ChecksumAlgorithm="SHA256"))
            print(put("bad-crc32", ChecksumCRC32="AAAAAA=="), put("bad-sha256", ChecksumSHA256=other),
                  put("bad-md5", ContentMD5=base64.b64encode(hashlib.md5(b"other").digest()).decode()))
            print(stored("bad-crc32"), stored("bad-sha256"), stored("bad-md5"))
            """, c.Environment());

        Assert.Equal(["OK OK OK", "BadDigest BadDigest BadDigest", "404 404 404"], output.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_streamed_body_is_checked_against_the_trailer_it_declared()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "trailer/");
        var data = RandomNumberGenerator.GetBytes(200 * 1024 + 7);
        var crc32 = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc32, Crc32.HashToUInt32(data));
        var good = ("x-amz-checksum-crc32", Convert.ToBase64String(crc32));

        Assert.Equal("", await PutStreamedAsync(c, c.Prefix + "good.bin", data, good));
        Assert.Equal("BadDigest", await PutStreamedAsync(c, c.Prefix + "bad.bin", data, ("x-amz-checksum-crc32", "AAAAAA==")));
        Assert.Equal("InvalidArgument", await PutStreamedAsync(c, c.Prefix + "undeclared.bin", data,
            ("x-amz-checksum-sha256", Convert.ToBase64String(SHA256.HashData(data))), declared: "x-amz-checksum-crc32"));

        using var s3 = c.SdkClient();
        using var get = await s3.GetObjectAsync(c.Bucket, c.Prefix + "good.bin");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetObjectMetadataAsync(c.Bucket, c.Prefix + "bad.bin"));
    }

    /// <summary>An unsigned aws-chunked PUT in 64 KiB chunks with one checksum trailer; the S3 error code, or "" when stored.</summary>
    private static async Task<string> PutStreamedAsync(S3Credentials c, string key, byte[] data, (string Name, string Value) trailer, string? declared = null)
    {
        var body = new MemoryStream();
        for (var at = 0; at < data.Length; at += 64 * 1024)
        {
            var n = Math.Min(64 * 1024, data.Length - at);
            body.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            body.Write(data, at, n);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"0\r\n{trailer.Name}:{trailer.Value}\r\n\r\n"));
        var (path, _, headers) = SignedRequests.Put(c, key, SigV4.StreamingUnsignedTrailer);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(c.Endpoint), path)) { Content = new ByteArrayContent(body.ToArray()) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("x-amz-trailer", declared ?? trailer.Name);
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        using var http = new HttpClient();
        var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK) return "";
        var xml = await response.Content.ReadAsStringAsync();
        var start = xml.IndexOf("<Code>", StringComparison.Ordinal) + "<Code>".Length;
        return xml[start..xml.IndexOf("</Code>", StringComparison.Ordinal)];
    }
}
