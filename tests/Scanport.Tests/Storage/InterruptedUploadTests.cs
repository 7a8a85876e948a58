using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

[Collection(AppCollection.Name)]
public sealed class InterruptedUploadTests(ScanportApp app)
{
    [Fact]
    public async Task A_client_killed_mid_upload_leaves_no_object_and_no_stray_data()
    {
        var c = await S3Credentials.IssueAsync(await app.NewTenantAsync(), "killed/");
        var key = c.Prefix + "half.bin";
        var endpoint = new Uri(c.Endpoint);
        var amzDate = TimeProvider.System.GetUtcNow().UtcDateTime.ToString(SigV4.TimeFormat, CultureInfo.InvariantCulture);
        var host = $"{endpoint.Host}:{endpoint.Port}";
        var path = $"/{c.Bucket}/{SigV4.UriEncode(key, keepSlash: true)}";
        const string signed = "host;x-amz-content-sha256;x-amz-date;x-amz-security-token";
        var scope = $"{amzDate[..8]}/{c.Region}/s3/aws4_request";
        var canonical = SigV4.CanonicalRequest("PUT", path, "",
            [("host", host), ("x-amz-content-sha256", SigV4.UnsignedPayload), ("x-amz-date", amzDate), ("x-amz-security-token", c.SessionToken)],
            signed, SigV4.UnsignedPayload);
        var signature = SigV4.Sign(SigV4.SigningKey(c.Secret, amzDate[..8], c.Region, "s3"), SigV4.StringToSign(amzDate, scope, canonical));

        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port);
            var stream = socket.GetStream();
            var head = $"PUT {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {10 * 1024 * 1024}\r\n" +
                $"x-amz-content-sha256: {SigV4.UnsignedPayload}\r\nx-amz-date: {amzDate}\r\nx-amz-security-token: {c.SessionToken}\r\n" +
                $"Authorization: {SigV4.Algorithm} Credential={c.AccessKeyId}/{scope}, SignedHeaders={signed}, Signature={signature}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[1024 * 1024]);
            await stream.FlushAsync();
            await Task.Delay(300);
            socket.Client.LingerState = new LingerOption(true, 0); // a reset, as when the process dies
        }

        var incoming = Path.Combine(app.Services.GetRequiredService<IOptions<ScanportOptions>>().Value.DataDir, "blobs", "incoming");
        for (var i = 0; i < 50 && Directory.EnumerateFiles(incoming).Any(); i++) await Task.Delay(100);
        Assert.Empty(Directory.EnumerateFiles(incoming));
        using var scope2 = app.Services.CreateScope();
        Assert.Null(await scope2.ServiceProvider.GetRequiredService<Scanport.Storage.IObjectStore>().HeadAsync(c.Bucket, key, CancellationToken.None));
    }
}
