using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scanport.ApsCloud;
using Scanport.Tests.Surfaces.Aps;

namespace Scanport.Tests.ApsCloud;

/// <summary>
/// The APS client against Scanport's own APS endpoints in the test app, with no <c>Aps:BaseUrl</c>: the client finds the
/// server's own address, and an API key made through the platform API is its application.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ScanportCloudTests(ScanportApp app)
{
    private static readonly string Models = ModelDerivativeCalls.Models;

    private async Task<(ApsClient Aps, ApsCloudClient Client)> ClientAsync(string role = "operator")
    {
        var aps = await ApsClient.CreateAsync(app, role);
        var client = app.Services.GetRequiredService<ApsCloudClients>().Create(new ApsCredentials(aps.ClientId.ToString(), aps.Secret));
        return (aps, client);
    }

    [Fact]
    public async Task With_no_base_url_the_client_talks_to_this_server_and_keeps_its_two_legged_token()
    {
        var clients = app.Services.GetRequiredService<ApsCloudClients>();
        Assert.True(clients.IsScanportCloud);
        Assert.Equal(app.BaseAddress, clients.BaseUrl);

        var (_, client) = await ClientAsync();
        var first = await client.TwoLeggedTokenAsync(CancellationToken.None);
        var again = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.TwoLeggedTokenAsync(CancellationToken.None)));
        Assert.All(again, t => Assert.Equal(first, t));

        // A viewer's token of viewables:read alone: not the application's, and refused for data.
        var viewer = await client.TwoLeggedTokenAsync("viewables:read", CancellationToken.None);
        Assert.NotEqual(first, viewer.AccessToken);
        Assert.True(viewer.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(10));
        var bucketKey = $"viewer-{Guid.NewGuid():N}";
        await client.Oss.CreateBucketAsync(bucketKey);
        await client.Oss.UploadAsync(bucketKey, "a.txt", new MemoryStream("a"u8.ToArray()));
        var refused = await Assert.ThrowsAsync<ApsCloudException>(() => client.AsUser(viewer.AccessToken).Oss.ObjectAsync(bucketKey, "a.txt"));
        Assert.Equal((ApsFailure.AuthFailed, System.Net.HttpStatusCode.Forbidden), (refused.Kind, refused.Status));
    }

    [Fact]
    public async Task Wrong_credentials_are_auth_failed()
    {
        var (aps, _) = await ClientAsync();
        var client = app.Services.GetRequiredService<ApsCloudClients>().Create(new ApsCredentials(aps.ClientId.ToString(), "not-the-secret"));
        var e = await Assert.ThrowsAsync<ApsCloudException>(() => client.Oss.BucketAsync("anything"));
        Assert.Equal(ApsFailure.AuthFailed, e.Kind);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.Status);
    }

    [Fact]
    public async Task A_bucket_takes_a_streamed_upload_in_parts_and_gives_it_back()
    {
        var (_, client) = await ClientAsync();
        var bucketKey = $"client-{Guid.NewGuid():N}";
        Assert.True(await client.Oss.CreateBucketAsync(bucketKey, "transient"));
        Assert.False(await client.Oss.CreateBucketAsync(bucketKey, "transient")); // ours already: fine
        Assert.Equal(bucketKey, (await client.Oss.BucketAsync(bucketKey)).BucketKey);

        // 12 MiB that is never whole in memory: three parts (5, 5 and 2 MiB), URLs asked for in batches.
        var generated = new GeneratedStream(12 * 1024 * 1024, seed: 7);
        var uploaded = await client.Oss.UploadAsync(bucketKey, "scans/big.bin", generated, "application/octet-stream", length: 12 * 1024 * 1024);
        Assert.Equal((12L * 1024 * 1024, generated.Sha1), (uploaded.Size, uploaded.Sha1));
        Assert.Equal($"urn:adsk.objects:os.object:{bucketKey}/scans/big.bin", uploaded.ObjectId);

        var details = await client.Oss.ObjectAsync(bucketKey, "scans/big.bin");
        Assert.Equal(generated.Sha1, details.Sha1);
        await using (var back = await client.Oss.DownloadAsync(bucketKey, "scans/big.bin"))
            Assert.Equal(generated.Sha1, Convert.ToHexStringLower(await SHA1.HashDataAsync(back)));

        await client.Oss.DeleteObjectAsync(bucketKey, "scans/big.bin");
        var gone = await Assert.ThrowsAsync<ApsCloudException>(() => client.Oss.ObjectAsync(bucketKey, "scans/big.bin"));
        Assert.Equal(ApsFailure.NotFound, gone.Kind);
        await client.Oss.DeleteObjectAsync(bucketKey, "scans/big.bin"); // already gone: fine

        await client.Oss.DeleteBucketAsync(bucketKey);
        Assert.Equal(ApsFailure.NotFound, (await Assert.ThrowsAsync<ApsCloudException>(() => client.Oss.BucketAsync(bucketKey))).Kind);
    }

    [Fact]
    public async Task Another_organizations_bucket_key_is_a_conflict()
    {
        var (_, ours) = await ClientAsync();
        var (_, theirs) = await ClientAsync();
        var bucketKey = $"taken-{Guid.NewGuid():N}";
        Assert.True(await theirs.Oss.CreateBucketAsync(bucketKey));
        var e = await Assert.ThrowsAsync<ApsCloudException>(() => ours.Oss.CreateBucketAsync(bucketKey));
        Assert.Equal(ApsFailure.Conflict, e.Kind);
    }

    [Fact]
    public async Task A_model_uploaded_and_translated_answers_views_tree_properties_thumbnail_and_its_glb()
    {
        var (_, client) = await ClientAsync();
        var bucketKey = $"models-{Guid.NewGuid():N}";
        await client.Oss.CreateBucketAsync(bucketKey);
        var path = Path.Combine(Models, "cabin-ifc4.ifc");
        await using var file = File.OpenRead(path);
        var uploaded = await client.Oss.UploadAsync(bucketKey, "cabin.ifc", file);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(path))), uploaded.Sha1);
        Assert.Equal(uploaded.ObjectId, ApsUrns.Decode(uploaded.Urn));
        Assert.DoesNotContain('=', uploaded.Urn);

        var job = await client.Derivatives.TranslateAsync(uploaded.Urn);
        Assert.Contains(job.Result, new[] { "created", "success" });
        var manifest = await WaitAsync(client, uploaded.Urn);
        Assert.Equal("success", manifest.Status);

        var view = Assert.Single(await client.Derivatives.ViewsAsync(uploaded.Urn), v => v.Role == "3d");
        var tree = (await PollAsync(() => client.Derivatives.ObjectTreeAsync(uploaded.Urn, view.Guid))).GetRawText();
        Assert.Contains("North Wall", tree);
        var properties = await PollAsync(() => client.Derivatives.PropertiesAsync(uploaded.Urn, view.Guid));
        Assert.True(properties.GetProperty("data").GetProperty("collection").GetArrayLength() > 0);

        await using (var thumbnail = await client.Derivatives.ThumbnailAsync(uploaded.Urn, 100))
        {
            var png = new byte[8];
            await thumbnail.ReadExactlyAsync(png);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }

        var glb = Assert.Single(manifest.Files(), f => f.Mime == "model/gltf-binary");
        await using (var derivative = await client.Derivatives.DownloadAsync(uploaded.Urn, glb.Urn))
        {
            var header = new byte[12];
            await derivative.ReadExactlyAsync(header);
            Assert.Equal("glTF"u8.ToArray(), header[..4]);
        }

        await client.Derivatives.DeleteManifestAsync(uploaded.Urn);
        Assert.Equal(ApsFailure.NotFound, (await Assert.ThrowsAsync<ApsCloudException>(() => client.Derivatives.ManifestAsync(uploaded.Urn))).Kind);
        await client.Derivatives.DeleteManifestAsync(uploaded.Urn); // already gone: fine
    }

    [Fact]
    public async Task Webhooks_take_a_secret_and_hooks_are_created_listed_and_deleted()
    {
        var (_, client) = await ClientAsync();
        await client.Webhooks.SetSecretAsync("first-secret");
        await client.Webhooks.SetSecretAsync("second-secret"); // replaces it

        var workflow = $"wf-{Guid.NewGuid():N}";
        var callback = new Uri("http://203.0.113.10/aps-callback");
        var finished = await client.Webhooks.CreateHookAsync(ApsWebhooks.ExtractionFinished, callback, workflow);
        var updated = await client.Webhooks.CreateHookAsync(ApsWebhooks.ExtractionUpdated, callback, workflow);
        Assert.Equal(finished, await client.Webhooks.CreateHookAsync(ApsWebhooks.ExtractionFinished, callback, workflow)); // APS's 409: the same hook

        var all = await client.Webhooks.HooksAsync();
        Assert.Contains(all, h => (h.HookId, h.Event, h.Workflow) == (finished, ApsWebhooks.ExtractionFinished, workflow));
        Assert.Contains(all, h => (h.HookId, h.Event, h.CallbackUrl) == (updated, ApsWebhooks.ExtractionUpdated, callback.ToString()));
        Assert.Equal([finished], (await client.Webhooks.HooksAsync(ApsWebhooks.ExtractionFinished)).Select(h => h.HookId));

        await client.Webhooks.DeleteHookAsync(ApsWebhooks.ExtractionFinished, finished);
        await client.Webhooks.DeleteHookAsync(ApsWebhooks.ExtractionFinished, finished); // already gone: fine
        Assert.DoesNotContain(await client.Webhooks.HooksAsync(), h => h.HookId == finished);
    }

    [Fact]
    public async Task A_user_signs_in_on_the_authorize_page_and_the_code_is_exchanged_and_refreshed()
    {
        var (aps, client) = await ClientAsync();
        var authorization = client.AuthorizeUrl(ApsClient.RedirectUri, "data:read user-profile:read openid");
        Assert.StartsWith(new Uri(app.BaseAddress, "authentication/v2/authorize?").ToString(), authorization.Url.ToString());
        var query = ApsClient.Query(authorization.Url);
        Assert.Equal(("code", "S256", authorization.State), (query["response_type"], query["code_challenge_method"], query["state"]));

        // The browser's part: the page the client's URL names, sign-in, consent, back to the redirect URI with the code and state.
        using var browser = aps.Browser();
        var (action, fields) = await ApsClient.FormOf(await browser.GetAsync(authorization.Url));
        fields["username"] = aps.UserEmail;
        fields["password"] = aps.UserPassword;
        var signedIn = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        (action, fields) = await ApsClient.FormOf(await browser.GetAsync(signedIn.Headers.Location));
        fields["decision"] = "allow";
        var back = ApsClient.Query((await browser.PostAsync(action, new FormUrlEncodedContent(fields))).Headers.Location!);
        Assert.Equal(authorization.State, back["state"]);
        var code = back["code"];

        var tokens = await client.ExchangeCodeAsync(code, authorization.CodeVerifier, ApsClient.RedirectUri, CancellationToken.None);
        Assert.NotNull(tokens.RefreshToken);
        var bucket = $"user-{Guid.NewGuid():N}";
        await client.Oss.CreateBucketAsync(bucket);
        await client.Oss.UploadAsync(bucket, "note.txt", new MemoryStream("for the user"u8.ToArray()));
        Assert.Equal(12, (await client.AsUser(tokens.AccessToken).Oss.ObjectAsync(bucket, "note.txt")).Size);

        var refreshed = await client.RefreshAsync(tokens.RefreshToken!, null, CancellationToken.None);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.NotNull(refreshed.RefreshToken);

        // A code is single-use, and a spent refresh token is spent: both are the user's authentication failing.
        var replayed = await Assert.ThrowsAsync<ApsCloudException>(() => client.ExchangeCodeAsync(code, authorization.CodeVerifier, ApsClient.RedirectUri, CancellationToken.None));
        Assert.Equal(ApsFailure.AuthFailed, replayed.Kind);
        Assert.Equal("invalid_grant", replayed.ErrorCode);
    }

    private static async Task<ApsManifest> WaitAsync(ApsCloudClient client, string urn)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(300))
        {
            var manifest = await client.Derivatives.ManifestAsync(urn);
            if (manifest.Finished || waited.Elapsed > TimeSpan.FromMinutes(3)) return manifest;
        }
    }

    private static async Task<JsonElement> PollAsync(Func<Task<JsonElement?>> read)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(300))
            if (await read() is { } ready) return ready;
            else if (waited.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException("still 202 after a minute");
    }
}
