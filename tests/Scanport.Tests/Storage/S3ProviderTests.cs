using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Storage;
using Scanport.Storage.Embedded;
using Scanport.Storage.S3;

namespace Scanport.Tests.Storage;

/// <summary>
/// The <c>s3</c> provider (the AWS SDK for .NET) against two S3-compatible servers: Scanport's own embedded
/// endpoint, which verifies every signature, and s3rver, an independent implementation (which does not).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class S3ProviderTests(ScanportApp app) : IClassFixture<S3rver>
{
    [Fact]
    public async Task The_s3_provider_works_against_the_embedded_endpoint()
    {
        var authority = app.Services.GetRequiredService<CredentialAuthority>();
        using var store = Store(app.BaseAddress.ToString(), authority.RootAccessKeyId, authority.RootSecret);
        await ExerciseAsync(store, "scanport", $"provider-tests/{Guid.NewGuid():N}/");
    }

    [Fact]
    public async Task The_s3_provider_works_against_s3rver()
    {
        var s3rver = await S3rver.StartedAsync();
        using var store = Store(s3rver.Endpoint, "S3RVER", "S3RVER");
        await ExerciseAsync(store, S3rver.Bucket, $"provider-tests/{Guid.NewGuid():N}/");
    }

    [Fact]
    public async Task STS_AssumeRole_credentials_from_the_s3_provider_reach_only_their_prefix()
    {
        var authority = app.Services.GetRequiredService<CredentialAuthority>();
        using var store = new S3ObjectStore(Options.Create(new StorageOptions
        {
            Provider = "s3",
            Region = "us-east-1",
            S3 = new S3ProviderOptions
            {
                ServiceUrl = app.BaseAddress.ToString().TrimEnd('/'),
                AccessKeyId = authority.RootAccessKeyId,
                SecretAccessKey = authority.RootSecret,
                RoleArn = "arn:aws:iam::000000000000:role/scanport-uploads",
            },
        }), TimeProvider.System);
        var prefix = $"sts/{Guid.NewGuid():N}/";

        var credentials = await store.IssueCredentialsAsync(new CredentialScope("scanport", prefix, CredentialScope.UploadOnly), TimeSpan.FromHours(1), CancellationToken.None);

        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.InRange(credentials.Expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        using var client = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            new Amazon.S3.AmazonS3Config { ServiceURL = app.BaseAddress.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "scanport", Key = prefix + "ok.txt", ContentBody = "ok" });
        var outside = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() =>
            client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "scanport", Key = "sts/elsewhere.txt", ContentBody = "no" }));
        Assert.Equal("AccessDenied", outside.ErrorCode);
        var read = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => client.GetObjectAsync("scanport", prefix + "ok.txt"));
        Assert.Equal("AccessDenied", read.ErrorCode);
    }

    [Fact]
    public void Session_policies_allow_only_the_scopes_prefix()
    {
        var policy = S3ObjectStore.SessionPolicy(new CredentialScope("bucket", "scanace/abc/", CredentialScope.UploadOnly));
        Assert.Contains("\"Resource\":\"arn:aws:s3:::bucket/scanace/abc/*\"", policy);
        Assert.Contains("\"s3:prefix\":\"scanace/abc/*\"", policy);
        Assert.DoesNotContain("s3:GetObject", policy);
    }

    private static S3ObjectStore Store(string endpoint, string accessKey, string secret) =>
        new(Options.Create(new StorageOptions
        {
            Provider = "s3",
            Region = "us-east-1",
            S3 = new S3ProviderOptions { ServiceUrl = endpoint.TrimEnd('/'), AccessKeyId = accessKey, SecretAccessKey = secret, ForcePathStyle = true },
        }), TimeProvider.System);

    private static async Task ExerciseAsync(S3ObjectStore store, string bucket, string prefix)
    {
        var ct = CancellationToken.None;
        var small = "hello from the provider"u8.ToArray();
        var info = await store.PutAsync(bucket, prefix + "a/small.txt", new MemoryStream(small), "text/plain", ct);
        Assert.Equal(small.Length, info.Size);

        // A stream that cannot seek goes up in parts, whatever its size.
        var big = RandomNumberGenerator.GetBytes(17 * 1024 * 1024 + 5);
        await store.PutAsync(bucket, prefix + "big.bin", new ForwardOnly(big), "application/octet-stream", ct);
        Assert.Equal(big.Length, (await store.HeadAsync(bucket, prefix + "big.bin", ct))!.Size);

        await using (var whole = (await store.GetAsync(bucket, prefix + "big.bin", null, ct))!)
        {
            using var copy = new MemoryStream();
            await whole.Body.CopyToAsync(copy, ct);
            Assert.Equal(SHA256.HashData(big), SHA256.HashData(copy.ToArray()));
        }
        await using (var part = (await store.GetAsync(bucket, prefix + "a/small.txt", new ByteRange(6, 9), ct))!)
        {
            using var reader = new StreamReader(part.Body);
            Assert.Equal("from", await reader.ReadToEndAsync(ct));
        }

        var listing = await store.ListAsync(bucket, prefix, "/", 100, null, ct);
        Assert.Equal([prefix + "big.bin"], listing.Objects.Select(o => o.Key));
        Assert.Equal([prefix + "a/"], listing.CommonPrefixes);

        using var http = new HttpClient();
        Assert.Equal(small, await http.GetByteArrayAsync(store.PresignGet(bucket, prefix + "a/small.txt", TimeSpan.FromMinutes(5)), ct));

        // Many at once, in one DeleteObjects request; a key with no object is not an error.
        var batch = Enumerable.Range(0, 3).Select(i => $"{prefix}batch/{i}.txt").ToList();
        foreach (var key in batch) await store.PutAsync(bucket, key, new MemoryStream(small), "text/plain", ct);
        var deleted = await store.DeleteManyAsync(bucket, [.. batch, prefix + "batch/missing.txt"], ct);
        Assert.Superset(batch.ToHashSet(), deleted.ToHashSet());
        foreach (var key in batch) Assert.Null(await store.HeadAsync(bucket, key, ct));
        Assert.Equal(small.Length, (await store.HeadAsync(bucket, prefix + "a/small.txt", ct))!.Size);

        Assert.True(await store.DeleteAsync(bucket, prefix + "a/small.txt", ct));
        Assert.False(await store.DeleteAsync(bucket, prefix + "a/small.txt", ct));
        Assert.Null(await store.HeadAsync(bucket, prefix + "a/small.txt", ct));
        Assert.Null(await store.GetAsync(bucket, prefix + "missing", null, ct));
    }

    private sealed class ForwardOnly(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>s3rver (npm), started once per test class on a free port; ./test installs it under .tmp/s3rver.</summary>
public sealed class S3rver : IAsyncLifetime
{
    public const string Bucket = "s3rver-bucket";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static S3rver? _current;
    private Process? _process;
    private string? _dir;

    public string Endpoint { get; private set; } = "";

    public static async Task<S3rver> StartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_current is not null) return _current;
            var script = Path.Combine(RepoPaths.Root, ".tmp", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
            Assert.True(File.Exists(script), $"s3rver is not installed at {script}: run ./test, which installs it");
            var server = new S3rver { _dir = Directory.CreateTempSubdirectory("s3rver-").FullName };
            var port = FreePort();
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { script, "-d", server._dir, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", Bucket })
                start.ArgumentList.Add(arg);
            server._process = Process.Start(start)!;
            server.Endpoint = $"http://127.0.0.1:{port}";
            using var http = new HttpClient();
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    await http.GetAsync(server.Endpoint);
                    return _current = server;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }
            throw new TimeoutException("s3rver did not start");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        var current = _current;
        _current = null;
        if (current?._process is { } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            p.Dispose();
        }
        if (current?._dir is { } d) Directory.Delete(d, recursive: true);
    }
}
