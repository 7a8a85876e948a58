using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>The storage webhook reads its JSON by hand; it refuses what the typed endpoints refuse, never with a 500.</summary>
public sealed class StorageWebhookInputTests
{
    [Fact]
    public async Task A_notice_naming_a_key_twice_or_not_UTF8_is_a_validation_error()
    {
        const string secret = "webhook-secret-for-tests";
        var app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Surfaces:Vehicle360:StorageWebhookSecret"] = secret });
        try
        {
            using var storage = app.Client(secret);
            var record = """{"Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"scanport"},"object":{"key":"a""";
            foreach (var body in new byte[][]
            {
                Encoding.UTF8.GetBytes("""{"Records":[],"Records":[]}"""),
                [.. Encoding.UTF8.GetBytes(record), 0xFF, .. Encoding.UTF8.GetBytes("\",\"size\":1}}}]}")],
            })
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var error = (await (await storage.PostAsync("/v1/storage/events", content)).Status(HttpStatusCode.BadRequest)).GetProperty("error");
                Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
            }
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
