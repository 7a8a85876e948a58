using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scanport.Tests.Media;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Storage;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>
/// Real photos through the whole path a phone takes: presign, PUT to the URL with exactly its headers, the
/// store's notice, the <c>images</c> job (libvips), and the results read back over HTTP.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ImagePipelineTests(ScanportApp app, MediaSamples samples) : IClassFixture<MediaSamples>
{
    [Fact]
    public async Task A_jpeg_with_exif_is_processed_upright_with_thumbnails_exif_and_qc()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        var device = await tenant.DeviceAsync(site);
        using var phone = app.Client(device.Token);
        using var admin = tenant.Admin();
        var session = await phone.CreateSessionAsync(site);
        var photo = await File.ReadAllBytesAsync(samples.Photo);

        var presign = await phone.PresignAsync(session.Id(), photo);
        var key = presign.GetProperty("storage_key").GetString()!;
        var imageId = presign.GetProperty("image_id").GetGuid();
        Assert.Matches($"^org/{tenant.OrgId}/site/{site}/session/{session.Id()}/{imageId}\\.jpg$", key);
        Assert.Equal("image/jpeg", presign.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal(V360Calls.Sha256(photo), presign.GetProperty("headers").GetProperty("x-amz-content-sha256").GetString());
        var expires = presign.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
        Assert.Equal(HttpStatusCode.OK, (await V360Calls.UploadAsync(presign, photo)).StatusCode);

        var image = await admin.WaitProcessedAsync(imageId);

        Assert.Equal("processed", image.GetProperty("status").GetString());
        Assert.Equal(session.Id(), image.GetProperty("session_id").GetGuid());
        Assert.Equal(session.GetProperty("vehicle_id").GetGuid(), image.GetProperty("vehicle_id").GetGuid());
        Assert.Equal(key, image.GetProperty("storage_key").GetString());
        // Stored landscape with EXIF orientation 6: shown, and measured, as portrait.
        Assert.Equal((1440, 1920), (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()));
        var exif = image.GetProperty("exif");
        Assert.Equal(200, exif.GetProperty("iso").GetInt32());
        Assert.Equal("1/250", exif.GetProperty("shutter").GetString());
        Assert.Equal("f/1.8", exif.GetProperty("aperture").GetString());
        Assert.Equal("2025-01-15T10:01:00.000Z", exif.GetProperty("timestamp").GetString());
        Assert.Equal("pass", image.GetProperty("qc").GetProperty("sharpness").GetProperty("status").GetString());
        Assert.True(image.GetProperty("qc").GetProperty("sharpness").GetProperty("score").GetDouble() > 0);
        Assert.Equal("pass", image.GetProperty("qc").GetProperty("exposure").GetProperty("status").GetString());
        using var http = new HttpClient();
        foreach (var size in new[] { 150, 600, 1200 })
        {
            var thumbKey = image.GetProperty("thumb_keys").GetProperty($"{size}").GetString()!;
            Assert.StartsWith(key[..^4] + "/", thumbKey);
            var thumb = await http.GetByteArrayAsync(image.GetProperty("thumb_urls").GetProperty($"{size}").GetString());
            using var decoded = NetVips.Image.NewFromBuffer(thumb);
            Assert.Equal(((int)Math.Round(size * 0.75, MidpointRounding.AwayFromZero), size), (decoded.Width, decoded.Height));
        }
        var original = await http.GetByteArrayAsync(image.GetProperty("original_url").GetString());
        Assert.Equal(photo, original);
        // The listing shows the same image, with its angle from the shot list (slot 0 of 24).
        var list = await (await admin.GetAsync($"/v1/images?session_id={session.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(0, list.GetProperty("data")[0].GetProperty("angle_deg").GetInt32());
        var sessionNow = await (await admin.GetAsync($"/v1/sessions/{session.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal(1, sessionNow.GetProperty("image_count").GetInt32());
    }

    [Fact]
    public async Task A_heic_from_a_phone_is_processed()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site, mode: "stills");
        var heic = await File.ReadAllBytesAsync(samples.Heic);

        var presign = await admin.PresignAsync(session.Id(), heic, "image/heic", "IMG_0001.HEIC");
        Assert.EndsWith(".heic", presign.GetProperty("storage_key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await V360Calls.UploadAsync(presign, heic)).StatusCode);
        var image = await admin.WaitProcessedAsync(presign.GetProperty("image_id").GetGuid());

        Assert.Equal("processed", image.GetProperty("status").GetString());
        Assert.Equal((960, 1280), (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()));
        Assert.Equal(400, image.GetProperty("exif").GetProperty("iso").GetInt32());
        Assert.Equal("front_3q", image.GetProperty("shot_name").GetString());
        Assert.Equal(3, image.GetProperty("thumb_keys").EnumerateObject().Count());
    }

    [Fact]
    public async Task A_sharp_photo_scores_above_its_blurred_copy()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site);
        var scores = new List<(double Score, string Status)>();
        foreach (var path in new[] { samples.Untagged, samples.Blurred })
        {
            var bytes = await File.ReadAllBytesAsync(path);
            var presign = await admin.PresignAsync(session.Id(), bytes);
            await V360Calls.UploadAsync(presign, bytes);
            var image = await admin.WaitProcessedAsync(presign.GetProperty("image_id").GetGuid());
            var sharpness = image.GetProperty("qc").GetProperty("sharpness");
            scores.Add((sharpness.GetProperty("score").GetDouble(), sharpness.GetProperty("status").GetString()!));
        }

        Assert.True(scores[0].Score > 3 * scores[1].Score, $"sharp {scores[0].Score}, blurred {scores[1].Score}");
        Assert.Equal("pass", scores[0].Status);
        Assert.NotEqual("pass", scores[1].Status);
    }

    [Fact]
    public async Task The_store_refuses_any_body_or_content_type_other_than_the_presigned_ones()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site);
        var photo = await File.ReadAllBytesAsync(samples.Photo);
        var presign = await admin.PresignAsync(session.Id(), photo);
        var imageId = presign.GetProperty("image_id").GetGuid();

        var other = await File.ReadAllBytesAsync(samples.Blurred);
        var wrongBody = await V360Calls.UploadAsync(presign, other);
        Assert.Equal(HttpStatusCode.BadRequest, wrongBody.StatusCode);
        Assert.Contains("XAmzContentSHA256Mismatch", await wrongBody.Content.ReadAsStringAsync());
        var headers = presign.GetProperty("headers").Clone();
        var asPng = JsonDocument.Parse(presign.GetRawText().Replace("\"Content-Type\":\"image/jpeg\"", "\"Content-Type\":\"image/png\"")).RootElement;
        var wrongType = await V360Calls.UploadAsync(asPng, photo);
        Assert.Equal(HttpStatusCode.Forbidden, wrongType.StatusCode);
        Assert.Contains("SignatureDoesNotMatch", await wrongType.Content.ReadAsStringAsync());

        var image = await (await admin.GetAsync($"/v1/images/{imageId}")).Status(HttpStatusCode.OK);
        Assert.Equal("pending", image.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, image.GetProperty("original_url").ValueKind);
        // The device's word is not enough while storage has nothing.
        await (await admin.PostAsJsonAsync("/v1/events", new { entity_type = "image", entity_id = imageId, type = "upload_complete" }))
            .Status(HttpStatusCode.Created);
        image = await (await admin.GetAsync($"/v1/images/{imageId}")).Status(HttpStatusCode.OK);
        Assert.Equal("pending", image.GetProperty("status").GetString());
        Assert.Equal(headers.GetRawText(), presign.GetProperty("headers").GetRawText());
    }

    [Fact]
    public async Task Bytes_that_are_not_a_photo_fail_with_a_reason()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site);
        foreach (var path in new[] { samples.TruncatedJpeg, samples.PngNamedJpg, samples.Heic })
        {
            var bytes = await File.ReadAllBytesAsync(path);
            // The HEIC is announced as a JPEG: its content decides, not its label.
            var presign = await admin.PresignAsync(session.Id(), bytes);
            Assert.Equal(HttpStatusCode.OK, (await V360Calls.UploadAsync(presign, bytes)).StatusCode);
            var image = await admin.WaitProcessedAsync(presign.GetProperty("image_id").GetGuid());

            Assert.Equal("failed", image.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(image.GetProperty("failure_reason").GetString()));
            Assert.Empty(image.GetProperty("thumb_keys").EnumerateObject());
        }
    }

    [Fact]
    public async Task Studio_angles_follow_upload_slots_stills_take_the_shot_list_and_listings_sort_by_each()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var studio = await admin.CreateSessionAsync(site, shotList: new { studio360 = new { frame_count = 8 } });
        var stills = await admin.CreateSessionAsync(site, mode: "stills", shotList: new { stills = new[] { "front_3q", "dash" } });
        var bytes = "not uploaded"u8.ToArray();

        var angles = new List<int?>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await admin.PresignAsync(studio.Id(), bytes)).GetProperty("image_id").GetGuid();
            var image = await (await admin.GetAsync($"/v1/images/{id}")).Status(HttpStatusCode.OK);
            angles.Add(image.GetProperty("angle_deg") is { ValueKind: JsonValueKind.Number } a ? a.GetInt32() : null);
        }
        var placed = await (await admin.PostAsJsonAsync("/v1/presign", new
        {
            session_id = studio.Id(),
            file_name = "x.jpg",
            content_type = "image/jpeg",
            content_sha256 = V360Calls.Sha256(bytes),
            angle_deg = 5,
        })).Status(HttpStatusCode.OK);
        var shots = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await admin.PresignAsync(stills.Id(), bytes)).GetProperty("image_id").GetGuid();
            shots.Add((await (await admin.GetAsync($"/v1/images/{id}")).Status(HttpStatusCode.OK)).GetProperty("shot_name").GetString());
        }

        Assert.Equal([0, 45, 90], angles);
        Assert.Equal(["front_3q", "dash", null], shots);
        var studioList = await (await admin.GetAsync($"/v1/images?session_id={studio.Id()}")).Status(HttpStatusCode.OK);
        Assert.Equal([0, 5, 45, 90], studioList.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("angle_deg").GetInt32()));
        Assert.Equal(placed.GetProperty("image_id").GetGuid(), studioList.GetProperty("data")[1].Id());
        var stillsList = await (await admin.GetAsync($"/v1/images?session_id={stills.Id()}&status=pending")).Status(HttpStatusCode.OK);
        Assert.Equal(["front_3q", "dash", null], stillsList.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("shot_name").GetString()));
        var none = await (await admin.GetAsync($"/v1/images?session_id={stills.Id()}&status=processed")).Status(HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("total").GetInt32());

    }

    [Fact]
    public async Task Presign_needs_an_active_session()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site);
        await admin.PatchAsJsonAsync($"/v1/sessions/{session.Id()}", new { status = "complete" });

        await (await admin.PostAsJsonAsync("/v1/presign", new
        {
            session_id = session.Id(),
            file_name = "x.jpg",
            content_type = "image/jpeg",
            content_sha256 = new string('a', 64),
        })).Error(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Publishing_is_idempotent_and_audited()
    {
        var (tenant, site) = await TenantWithSiteAsync();
        using var admin = tenant.Admin();
        var session = await admin.CreateSessionAsync(site);
        var photo = await File.ReadAllBytesAsync(samples.Untagged);
        var presign = await admin.PresignAsync(session.Id(), photo);
        await V360Calls.UploadAsync(presign, photo);
        var imageId = presign.GetProperty("image_id").GetGuid();
        await admin.WaitProcessedAsync(imageId);
        var (reviewerId, reviewerToken) = await tenant.UserAsync("reviewer", site);
        using var reviewer = app.Client(reviewerToken);

        var first = await (await reviewer.PostAsync($"/v1/images/{imageId}/publish", null)).Status(HttpStatusCode.OK);
        var again = await (await admin.PostAsync($"/v1/images/{imageId}/publish", null)).Status(HttpStatusCode.OK);

        Assert.Equal("published", first.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("published_at").GetString(), again.GetProperty("published_at").GetString());
        var image = await (await admin.GetAsync($"/v1/images/{imageId}")).Status(HttpStatusCode.OK);
        Assert.Equal("published", image.GetProperty("status").GetString());
        var trail = await (await admin.GetAsync($"/v1/events?entity_id={imageId}&type=published")).Status(HttpStatusCode.OK);
        var published = Assert.Single(trail.GetProperty("data").EnumerateArray());
        Assert.Equal(reviewerId, published.GetProperty("actor").Id());
    }

    [Theory]
    [InlineData("device event")]
    [InlineData("storage webhook")]
    public async Task With_the_s3_provider_an_upload_notice_starts_processing(string notice)
    {
        var s3rver = await S3rver.StartedAsync();
        const string secret = "webhook-secret-for-tests";
        var node = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "s3",
            ["Storage:Region"] = "us-east-1",
            ["Storage:S3:ServiceUrl"] = s3rver.Endpoint,
            ["Storage:S3:AccessKeyId"] = "S3RVER",
            ["Storage:S3:SecretAccessKey"] = "S3RVER",
            ["Surfaces:Vehicle360:Bucket"] = S3rver.Bucket,
            ["Surfaces:Vehicle360:StorageWebhookSecret"] = secret,
        });
        try
        {
            var tenant = await node.NewTenantAsync();
            var site = await tenant.SiteAsync();
            var device = await tenant.DeviceAsync(site);
            using var phone = node.Client(device.Token);
            using var admin = tenant.Admin();
            var session = await phone.CreateSessionAsync(site);
            var photo = await File.ReadAllBytesAsync(samples.Photo);
            var presign = await phone.PresignAsync(session.Id(), photo);
            Assert.StartsWith(s3rver.Endpoint, presign.GetProperty("upload_url").GetString());
            Assert.Equal(HttpStatusCode.OK, (await V360Calls.UploadAsync(presign, photo)).StatusCode);
            var imageId = presign.GetProperty("image_id").GetGuid();

            if (notice == "device event")
            {
                await (await phone.PostAsJsonAsync("/v1/events", new { entity_type = "image", entity_id = imageId, type = "upload_complete" }))
                    .Status(HttpStatusCode.Created);
            }
            else
            {
                // MinIO's webhook body: S3 event records, keys URL-encoded.
                var key = presign.GetProperty("storage_key").GetString()!;
                var record = new JsonObject
                {
                    ["eventVersion"] = "2.0",
                    ["eventSource"] = "minio:s3",
                    ["eventName"] = "s3:ObjectCreated:Put",
                    ["s3"] = new JsonObject
                    {
                        ["bucket"] = new JsonObject { ["name"] = S3rver.Bucket },
                        ["object"] = new JsonObject { ["key"] = Uri.EscapeDataString(key), ["size"] = photo.Length },
                    },
                };
                var records = new JsonObject
                {
                    ["EventName"] = "s3:ObjectCreated:Put",
                    ["Key"] = $"{S3rver.Bucket}/{key}",
                    ["Records"] = new JsonArray(record),
                }.ToJsonString();
                using var storage = node.Client();
                var forged = new HttpRequestMessage(HttpMethod.Post, "/v1/storage/events") { Content = new StringContent(records, System.Text.Encoding.UTF8, "application/json") };
                forged.Headers.Authorization = new("Bearer", "guessed");
                await (await storage.SendAsync(forged)).Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
                Assert.Equal("pending", (await (await admin.GetAsync($"/v1/images/{imageId}")).Status(HttpStatusCode.OK)).GetProperty("status").GetString());
                var signed = new HttpRequestMessage(HttpMethod.Post, "/v1/storage/events") { Content = new StringContent(records, System.Text.Encoding.UTF8, "application/json") };
                signed.Headers.Authorization = new("Bearer", secret);
                Assert.Equal(HttpStatusCode.NoContent, (await storage.SendAsync(signed)).StatusCode);
            }
            var image = await admin.WaitProcessedAsync(imageId);

            Assert.Equal("processed", image.GetProperty("status").GetString());
            Assert.Equal(1440, image.GetProperty("width").GetInt32());
        }
        finally
        {
            await ((IAsyncLifetime)node).DisposeAsync();
        }
    }

    private async Task<(Tenant Tenant, Guid Site)> TenantWithSiteAsync()
    {
        var tenant = await app.NewTenantAsync();
        return (tenant, await tenant.SiteAsync());
    }
}
