using System.Net;
using System.Text;
using System.Text.Json;
using Scanport.ApsCloud;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// <c>GET /viewer/token</c> and <c>GET /viewer/config/{urn}</c> on Scanport's own APS cloud: a token that only views, and
/// where Scanport's viewer page is for a model of the caller's; anyone else's URN is not found.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ViewerEndpointTests(ScanportApp app)
{
    [Fact]
    public async Task The_viewer_token_only_reads_viewables()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync("Visor");
        var bucketKey = project.GetProperty("bucket_key").GetString()!;
        await (await client.UploadModelAsync(project.GetProperty("id").GetInt64(), "house.obj")).Status(HttpStatusCode.Created);

        var response = await client.GetAsync($"{Base}/viewer/token");
        var token = await response.Status(HttpStatusCode.OK);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.InRange(token.GetProperty("expires_in").GetInt64(), 1, 3600);
        var access = token.GetProperty("access_token").GetString()!;
        Assert.Equal(["viewables:read"], Scopes(access));

        // At the cloud it reads no data: OSS refuses it the bucket's objects (data:read), which the application's own token lists.
        using var viewer = app.Client(access);
        var refused = await viewer.GetAsync($"/oss/v2/buckets/{bucketKey}/objects");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await (await viewer.GetAsync("/oss/v2/buckets")).Status(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_viewer_configuration_points_at_Scanport_s_viewer_page_for_the_caller_s_model_only()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync("Visor configurado");
        var bucketKey = project.GetProperty("bucket_key").GetString()!;
        var file = await (await client.UploadModelAsync(project.GetProperty("id").GetInt64(), "house.obj")).Status(HttpStatusCode.Created);
        var urn = file.GetProperty("urn").GetString()!;

        var config = await (await client.GetAsync($"{Base}/viewer/config/{urn}")).Status(HttpStatusCode.OK);
        Assert.Equal(urn, config.GetProperty("urn").GetString());
        Assert.Equal(new Uri(app.BaseAddress, $"/aps/viewer/{urn}").ToString(), config.GetProperty("url").GetString());
        Assert.Equal(("scanport", "Scanport"), (config.GetProperty("api").GetString(), config.GetProperty("env").GetString()));
        Assert.True(config.GetProperty("expires_in").GetInt64() > 0);
        Assert.Equal("light", config.GetProperty("options").GetProperty("theme").GetString());
        // Scanport's viewer reads the model's tree too: its token lists the bucket's objects.
        using var viewer = app.Client(config.GetProperty("access_token").GetString()!);
        await (await viewer.GetAsync($"/oss/v2/buckets/{bucketKey}/objects")).Status(HttpStatusCode.OK);
        // The viewer page answers at that URL.
        using var browser = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(config.GetProperty("url").GetString())).StatusCode);

        // The document's misspelt URN of the same object gives the real one.
        var objectId = ApsUrns.Decode(urn)!;
        var misspelt = ApsUrns.Encode("urn:adsk:objects.os.object:" + objectId["urn:adsk.objects:os.object:".Length..]);
        Assert.Equal(urn, (await (await client.GetAsync($"{Base}/viewer/config/{misspelt}")).Status(HttpStatusCode.OK)).GetProperty("urn").GetString());

        // Another user's model, a bucket nobody has, and what is no URN: 404.
        var (_, stranger) = await app.UserAsync();
        await (await stranger.GetAsync($"{Base}/viewer/config/{urn}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        var nowhere = ApsUrns.Encode("urn:adsk.objects:os.object:no-such-bucket-here/house.obj");
        await (await client.GetAsync($"{Base}/viewer/config/{nowhere}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.GetAsync($"{Base}/viewer/config/not-a-urn")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        using var anonymous = app.Client();
        await (await anonymous.GetAsync($"{Base}/viewer/config/{urn}")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
        await (await anonymous.GetAsync($"{Base}/viewer/token")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
    }

    /// <summary>The scopes a JWT access token carries (<c>scope</c>, a space-separated string or a list).</summary>
    internal static string[] Scopes(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        var scope = json.RootElement.GetProperty(json.RootElement.TryGetProperty("scope", out _) ? "scope" : "scp");
        return scope.ValueKind == JsonValueKind.Array ? [.. scope.EnumerateArray().Select(s => s.GetString()!)]
            : scope.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
