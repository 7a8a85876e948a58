using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>Against the worked examples of AWS's "Signature Calculations for the Authorization Header" (S3).</summary>
public sealed class SigV4Tests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Scope = "20130524/us-east-1/s3/aws4_request";

    [Fact]
    public void The_GET_object_example_signs_as_AWS_documents()
    {
        var canonical = SigV4.CanonicalRequest("GET", "/test.txt", "",
        [
            ("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"),
            ("x-amz-content-sha256", SigV4.EmptySha256), ("x-amz-date", "20130524T000000Z"),
        ], "host;range;x-amz-content-sha256;x-amz-date", SigV4.EmptySha256);

        var signature = SigV4.Sign(SigV4.SigningKey(Secret, "20130524", "us-east-1", "s3"),
            SigV4.StringToSign("20130524T000000Z", Scope, canonical));

        Assert.Equal("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", signature);
    }

    [Fact]
    public void The_streaming_PUT_example_chains_chunk_signatures_as_AWS_documents()
    {
        var canonical = SigV4.CanonicalRequest("PUT", "/examplebucket/chunkObject.txt", "",
        [
            ("content-encoding", "aws-chunked"), ("content-length", "66824"), ("host", "s3.amazonaws.com"),
            ("x-amz-content-sha256", SigV4.StreamingPayload), ("x-amz-date", "20130524T000000Z"),
            ("x-amz-decoded-content-length", "66560"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
        ], "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
            SigV4.StreamingPayload);
        var key = SigV4.SigningKey(Secret, "20130524", "us-east-1", "s3");
        var seed = SigV4.Sign(key, SigV4.StringToSign("20130524T000000Z", Scope, canonical));
        Assert.Equal("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", seed);

        var chunk = System.Security.Cryptography.SHA256.HashData(Enumerable.Repeat((byte)'a', 65536).ToArray());
        var first = SigV4.Sign(key, SigV4.ChunkStringToSign("20130524T000000Z", Scope, seed, SigV4.Hex(chunk)));
        Assert.Equal("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", first);
    }

    [Theory]
    [InlineData("prefix=a b&list-type=2", "list-type=2&prefix=a%20b")]
    [InlineData("uploads", "uploads=")]
    [InlineData("X-Amz-Signature=abc&b=%2F&a=1", "a=1&b=%2F")]
    public void Canonical_queries_are_decoded_reencoded_and_sorted(string raw, string expected) =>
        Assert.Equal(expected, SigV4.CanonicalQuery(raw, exclude: "X-Amz-Signature"));

    [Fact]
    public void Keys_are_encoded_byte_by_byte_keeping_slashes() =>
        Assert.Equal("/a%20b/%C3%BC%2Bc~d", SigV4.UriEncode("/a b/ü+c~d", keepSlash: true));
}
