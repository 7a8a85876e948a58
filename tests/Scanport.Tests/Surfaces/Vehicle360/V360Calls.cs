using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>The 360 imaging calls the tests arrange with, and the check every error response shares.</summary>
internal static class V360Calls
{
    public const string Base = "/v1";

    /// <summary>A one-time enrollment code of the tenant, optionally bound to a site.</summary>
    public static async Task<string> EnrollmentCodeAsync(this Tenant tenant, Guid? siteId = null)
    {
        using var admin = tenant.Admin();
        var body = await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/devices/enrollment-codes", new { site_id = siteId }))
            .Status(HttpStatusCode.Created);
        return body.GetProperty("code").GetString()!;
    }

    /// <summary>A newly enrolled device of the tenant: its id and token.</summary>
    public static async Task<(Guid Id, string Token)> DeviceAsync(this Tenant tenant, Guid? siteId = null)
    {
        var code = await tenant.EnrollmentCodeAsync(siteId);
        using var client = tenant.App.Client();
        var body = await (await client.PostAsJsonAsync($"{Base}/auth/device",
            new { org_id = tenant.OrgId, platform = "ios", model = "iPhone 15 Pro", app_version = "1.0.0", enrollment_code = code }))
            .Status(HttpStatusCode.OK);
        return (body.GetProperty("device_id").GetGuid(), body.GetProperty("access_token").GetString()!);
    }

    public static async Task<JsonElement> CreateSessionAsync(this HttpClient client, Guid siteId, string mode = "studio360",
        string? vin = "1HGCM82633A123456", string? stock = "STK-001", object? shotList = null) =>
        await (await client.PostAsJsonAsync($"{Base}/sessions", new
        {
            site_id = siteId,
            vehicle = new { vin, stock },
            mode,
            shot_list = shotList ?? new { studio360 = new { frame_count = 24 }, stills = new[] { "front_3q", "rear_3q", "interior", "dash" } },
        })).Status(HttpStatusCode.Created);

    public static async Task<JsonElement> PresignAsync(this HttpClient client, Guid sessionId, byte[] content, string contentType = "image/jpeg",
        string fileName = "IMG_001.jpg") =>
        await (await client.PostAsJsonAsync($"{Base}/presign", new
        {
            session_id = sessionId,
            file_name = fileName,
            content_type = contentType,
            content_sha256 = Sha256(content),
        })).Status(HttpStatusCode.OK);

    /// <summary>PUTs <paramref name="content"/> to a presign answer's URL with exactly its headers, as a phone would.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(JsonElement presign, byte[] content)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Put, presign.GetProperty("upload_url").GetString()) { Content = new ByteArrayContent(content) };
        foreach (var header in presign.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(header.Value.GetString()!);
            else request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }
        return await http.SendAsync(request);
    }

    /// <summary>Polls an image until it leaves pending/processing.</summary>
    public static async Task<JsonElement> WaitProcessedAsync(this HttpClient client, Guid imageId)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var image = await (await client.GetAsync($"{Base}/images/{imageId}")).Status(HttpStatusCode.OK);
            var status = image.GetProperty("status").GetString();
            if (status is not ("pending" or "processing") || DateTimeOffset.UtcNow > deadline) return image;
            await Task.Delay(100);
        }
    }

    /// <summary>A device enrollment request as the document writes it, with our optional enrollment code.</summary>
    public static object DeviceBody(Guid orgId, string? code = null, string model = "iPhone 15 Pro") =>
        new { org_id = orgId, platform = "ios", model, app_version = "1.0.0", enrollment_code = code };

    /// <summary>A JWT's payload, read without checking anything: what a client sees of its token.</summary>
    public static JsonElement JwtPayload(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return JsonDocument.Parse(Base64UrlDecode(parts[1])).RootElement.Clone();
    }

    public static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    /// <summary>Asserts <c>exp</c> lies <paramref name="lifetime"/> from now, give or take a minute.</summary>
    public static void AssertExpiresIn(JsonElement claims, TimeSpan lifetime)
    {
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        var expected = TimeProvider.System.GetUtcNow() + lifetime;
        Assert.InRange(exp, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromMinutes(1));
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Asserts the document's error envelope with this status and code, and returns its <c>error</c> object.</summary>
    public static async Task<JsonElement> Error(this HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var body = await response.Status(expected);
        Assert.Equal(["error", "request_id"], body.EnumerateObject().Select(p => p.Name).Order());
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Object, error.GetProperty("details").ValueKind);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), body.GetProperty("request_id").GetString());
        return error;
    }

    /// <summary>Asserts a 400 <c>VALIDATION_ERROR</c> whose details name this field.</summary>
    public static async Task<JsonElement> Invalid(this HttpResponseMessage response, string field)
    {
        var error = await response.Error(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out var reasons), $"no reason for {field}: {error}");
        Assert.NotEmpty(reasons.EnumerateArray());
        return error;
    }
}
