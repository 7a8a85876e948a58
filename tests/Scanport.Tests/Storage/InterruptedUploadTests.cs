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
        var (path, host, headers) = SignedRequests.Put(c, key, SigV4.UnsignedPayload);

        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port);
            var stream = socket.GetStream();
            var head = $"PUT {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {10 * 1024 * 1024}\r\n"
                + string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\r\n")) + "\r\n";
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
