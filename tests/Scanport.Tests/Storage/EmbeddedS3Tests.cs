using System.Net;
using System.Security.Cryptography;

namespace Scanport.Tests.Storage;

/// <summary>The embedded endpoint through the clients people use: boto3, aws-cli and the AWS SDK for .NET.</summary>
[Collection(AppCollection.Name)]
public sealed class EmbeddedS3Tests(ScanportApp app)
{
    [Fact]
    public async Task Boto3_puts_heads_gets_ranges_lists_and_deletes_one_or_many_within_its_prefix()
    {
        var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "boto/");
        var output = await ExternalProgram.PythonAsync("""
            import boto3, os
            s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"])
            b, p = os.environ["S3_BUCKET"], os.environ["S3_PREFIX"]
            key = p + "dir/hello wörld+1.txt"
            s3.put_object(Bucket=b, Key=key, Body=b"hello there", ContentType="text/plain")
            h = s3.head_object(Bucket=b, Key=key)
            print(h["ContentLength"], h["ContentType"])
            print(s3.get_object(Bucket=b, Key=key)["Body"].read().decode())
            print(s3.get_object(Bucket=b, Key=key, Range="bytes=6-")["Body"].read().decode())
            for i in range(3): s3.put_object(Bucket=b, Key=f"{p}list/{i}", Body=b"x")
            page = s3.list_objects_v2(Bucket=b, Prefix=p, Delimiter="/")
            print(sorted(x["Prefix"][len(p):] for x in page.get("CommonPrefixes", [])))
            page = s3.list_objects_v2(Bucket=b, Prefix=p + "list/", MaxKeys=2)
            rest = s3.list_objects_v2(Bucket=b, Prefix=p + "list/", ContinuationToken=page["NextContinuationToken"])
            print([x["Key"][len(p):] for x in page["Contents"] + rest["Contents"]], page["IsTruncated"], rest["IsTruncated"])
            r = s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": f"{p}list/{i}"} for i in range(3)] + [{"Key": "elsewhere/x"}]})
            print(sorted(x["Key"][len(p):] for x in r.get("Deleted", [])), [(x["Key"], x["Code"]) for x in r.get("Errors", [])])
            print("left in list/:", s3.list_objects_v2(Bucket=b, Prefix=p + "list/")["KeyCount"])
            s3.delete_object(Bucket=b, Key=key)
            try:
                s3.head_object(Bucket=b, Key=key)
            except s3.exceptions.ClientError as e:
                print("after delete", e.response["Error"]["Code"])
            """, creds.Environment());

        Assert.Equal(
        [
            "11 text/plain", "hello there", "there", "['dir/', 'list/']", "['list/0', 'list/1', 'list/2'] True False",
            "['list/0', 'list/1', 'list/2'] [('elsewhere/x', 'AccessDenied')]", "left in list/: 0", "after delete 404",
        ], output.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Boto3_multipart_upload_round_trips_byte_for_byte()
    {
        var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "multi/");
        var output = await ExternalProgram.PythonAsync("""
            import boto3, os, io, hashlib
            from boto3.s3.transfer import TransferConfig
            s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"])
            b, p = os.environ["S3_BUCKET"], os.environ["S3_PREFIX"]
            data = os.urandom(12 * 1024 * 1024 + 123)
            cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
            s3.upload_fileobj(io.BytesIO(data), b, p + "big.bin", Config=cfg)
            out = io.BytesIO()
            s3.download_fileobj(b, p + "big.bin", out, Config=cfg)
            print(hashlib.sha256(out.getvalue()).hexdigest() == hashlib.sha256(data).hexdigest())
            print(s3.head_object(Bucket=b, Key=p + "big.bin")["ETag"].endswith('-3"'))
            up = s3.create_multipart_upload(Bucket=b, Key=p + "aborted")
            s3.upload_part(Bucket=b, Key=p + "aborted", UploadId=up["UploadId"], PartNumber=1, Body=b"x" * 100)
            print(len(s3.list_parts(Bucket=b, Key=p + "aborted", UploadId=up["UploadId"])["Parts"]))
            s3.abort_multipart_upload(Bucket=b, Key=p + "aborted", UploadId=up["UploadId"])
            try:
                s3.list_parts(Bucket=b, Key=p + "aborted", UploadId=up["UploadId"])
            except s3.exceptions.ClientError as e:
                print(e.response["Error"]["Code"])
            """, creds.Environment());

        Assert.Equal(["True", "True", "1", "NoSuchUpload"], output.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Aws_cli_copies_a_file_over_100_MB_up_and_back_byte_identical()
    {
        var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "cli/");
        var dir = Directory.CreateTempSubdirectory("scanport-cli-");
        try
        {
            var source = Path.Combine(dir.FullName, "up.bin");
            await using (var file = File.Create(source))
            {
                var chunk = new byte[1024 * 1024];
                for (var i = 0; i < 105; i++) { RandomNumberGenerator.Fill(chunk); await file.WriteAsync(chunk); }
            }
            var url = $"s3://{creds.Bucket}/{creds.Prefix}up.bin";
            string[] common = ["--endpoint-url", creds.Endpoint, "--only-show-errors"];
            var up = await ExternalProgram.RunAsync(ExternalProgram.AwsCli, ["s3", "cp", source, url, .. common], creds.Environment(), timeoutSeconds: 300);
            Assert.True(up.ExitCode == 0, up.Stderr);
            var back = Path.Combine(dir.FullName, "down.bin");
            var down = await ExternalProgram.RunAsync(ExternalProgram.AwsCli, ["s3", "cp", url, back, .. common], creds.Environment(), timeoutSeconds: 300);
            Assert.True(down.ExitCode == 0, down.Stderr);

            Assert.Equal(await Sha256(source), await Sha256(back));
            var ls = await ExternalProgram.RunAsync(ExternalProgram.AwsCli, ["s3", "ls", $"s3://{creds.Bucket}/{creds.Prefix}", "--endpoint-url", creds.Endpoint], creds.Environment());
            Assert.True(ls.ExitCode == 0, ls.Stderr);
            Assert.Contains("110100480 up.bin", ls.Stdout);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_AWS_SDK_for_dotnet_puts_gets_lists_and_uploads_in_parts()
    {
        var creds = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "sdk/");
        using var s3 = creds.SdkClient();
        var key = creds.Prefix + "sdk object.txt";

        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = creds.Bucket, Key = key, ContentBody = "from the sdk" });
        using (var get = await s3.GetObjectAsync(creds.Bucket, key))
        using (var reader = new StreamReader(get.ResponseStream))
            Assert.Equal("from the sdk", await reader.ReadToEndAsync());

        var data = RandomNumberGenerator.GetBytes(11 * 1024 * 1024);
        using var transfer = new Amazon.S3.Transfer.TransferUtility(s3);
        await transfer.UploadAsync(new Amazon.S3.Transfer.TransferUtilityUploadRequest
        {
            BucketName = creds.Bucket,
            Key = creds.Prefix + "parts.bin",
            InputStream = new MemoryStream(data),
            PartSize = 5 * 1024 * 1024,
        });
        using (var get = await s3.GetObjectAsync(creds.Bucket, creds.Prefix + "parts.bin"))
        {
            using var copy = new MemoryStream();
            await get.ResponseStream.CopyToAsync(copy);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(copy.ToArray()));
        }

        var list = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = creds.Bucket, Prefix = creds.Prefix });
        Assert.Equal([creds.Prefix + "parts.bin", key], list.S3Objects.Select(o => o.Key).ToArray());
    }

    private static async Task<string> Sha256(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }
}
