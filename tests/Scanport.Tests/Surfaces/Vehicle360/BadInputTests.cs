using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scanport.Identity;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>Requests the 360 surface refuses, each in the document's envelope and naming what was wrong.</summary>
[Collection(AppCollection.Name)]
public sealed class BadInputTests(ScanportApp app)
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>A tenant with an admin, a device and an active session, shared by the tests that only read it.</summary>
    private sealed record World(Tenant Tenant, Guid Site, Guid Session, string DeviceToken);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static World? _world;

    private async Task<World> WorldAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_world is not null) return _world;
            var tenant = await app.NewTenantAsync();
            var site = await tenant.SiteAsync();
            using var admin = tenant.Admin();
            var session = (await admin.CreateSessionAsync(site)).Id();
            return _world = new World(tenant, site, session, (await tenant.DeviceAsync()).Token);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string Fill(string template, World world) =>
        template.Replace("{site}", world.Site.ToString()).Replace("{session}", world.Session.ToString())
            .Replace("{org}", world.Tenant.OrgId.ToString());

    private static Task<HttpResponseMessage> SendRawAsync(HttpClient client, string method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static TheoryData<string, string, string, string> InvalidBodies => new()
    {
        // Malformed JSON, on every endpoint that takes a body.
        { "POST", "/auth/device", """{"org_id":""", "body" },
        { "POST", "/auth/login", """{"id_token":""", "body" },
        { "POST", "/sessions", """{"site_id":"{site}",""", "body" },
        { "PATCH", "/sessions/{session}", """{"status":complete}""", "body" },
        { "POST", "/presign", """{"session_id":"{session}" "file_name":"a.jpg"}""", "body" },
        { "POST", "/events", """[{"entity_type":"session"}""", "body" },
        { "POST", "/events", "", "body" },
        // Wrong types.
        { "POST", "/sessions", """{"site_id":5,"vehicle":{"vin":"1HGCM82633A123456"},"mode":"stills"}""", "site_id" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":"1HGCM82633A123456","mode":"stills"}""", "vehicle" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"vin":17},"mode":"stills"}""", "vehicle.vin" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"stock":"S"},"mode":5}""", "mode" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"stock":"S"},"mode":"stills","shot_list":["front"]}""", "shot_list" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"stock":"S"},"mode":"studio360","shot_list":{"studio360":{"frame_count":"24"}}}""", "shot_list.studio360.frame_count" },
        { "PATCH", "/sessions/{session}", """{"status":5}""", "status" },
        { "PATCH", "/sessions/{session}", """{"status":"complete","completed_at":"yesterday"}""", "completed_at" },
        { "POST", "/presign", """{"session_id":123,"file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha}"}""", "session_id" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha}","angle_deg":"90"}""", "angle_deg" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha}","angle_deg":90.5}""", "angle_deg" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":1,"content_type":"image/jpeg","content_sha256":"{sha}"}""", "file_name" },
        { "POST", "/events", """{"entity_type":"session","entity_id":5,"type":"upload_started"}""", "entity_id" },
        { "POST", "/events", """{"entity_type":"session","entity_id":"{session}","type":"upload_started","meta":"x"}""", "meta" },
        { "POST", "/events", """{"events":"x"}""", "events" },
        { "POST", "/events", """{"events":[5]}""", "events[0]" },
        { "POST", "/events", """{"events":[null]}""", "events[0]" },
        { "POST", "/events", "null", "body" },
        { "POST", "/sessions", "null", "body" },
        { "PATCH", "/sessions/{session}", "null", "body" },
        { "POST", "/presign", "null", "body" },
        { "POST", "/auth/device", "null", "body" },
        { "POST", "/auth/login", "null", "body" },
        { "POST", "/events", """{"events":[{"entity_type":"session","entity_id":true,"type":"upload_started"}]}""", "events[0].entity_id" },
        // Values outside the document's enums.
        { "POST", "/auth/device", """{"org_id":"{org}","platform":"windows","model":"m","app_version":"1"}""", "platform" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"stock":"S"},"mode":"orbit"}""", "mode" },
        { "PATCH", "/sessions/{session}", """{"status":"paused"}""", "status" },
        { "PATCH", "/sessions/{session}", """{"status":"active"}""", "status" },
        { "PATCH", "/sessions/{session}", "{}", "status" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.png","content_type":"image/png","content_sha256":"{sha}"}""", "content_type" },
        { "POST", "/events", """{"entity_type":"vehicle","entity_id":"{session}","type":"upload_started"}""", "entity_type" },
        { "POST", "/events", """{"entity_type":"session","entity_id":"{session}","type":"uploaded"}""", "type" },
        // Vehicles: a VIN is 17 characters without I, O and Q; a session needs a VIN or a stock number.
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"vin":"1HGCM82633A12345"},"mode":"stills"}""", "vehicle.vin" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"vin":"1HGCM82633A12345I"},"mode":"stills"}""", "vehicle.vin" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"vin":"1HGCM82633A12345O"},"mode":"stills"}""", "vehicle.vin" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"vin":"1hgcm82633a12345q"},"mode":"stills"}""", "vehicle.vin" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{},"mode":"stills"}""", "vehicle" },
        { "POST", "/sessions", """{"site_id":"{site}","vehicle":{"vin":" ","stock":""},"mode":"stills"}""", "vehicle" },
        { "POST", "/sessions", """{"site_id":"{site}","mode":"stills"}""", "vehicle" },
        { "POST", "/sessions", """{"vehicle":{"stock":"S"},"mode":"stills"}""", "site_id" },
        // Presign: the hash is 64 hex digits, the angle 0 to 359.
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha63}"}""", "content_sha256" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{shaNotHex}"}""", "content_sha256" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha}","angle_deg":360}""", "angle_deg" },
        { "POST", "/presign", """{"session_id":"{session}","file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha}","angle_deg":-1}""", "angle_deg" },
        { "POST", "/presign", """{"session_id":"{session}","content_type":"image/jpeg","content_sha256":"{sha}"}""", "file_name" },
        { "POST", "/presign", """{"file_name":"a.jpg","content_type":"image/jpeg","content_sha256":"{sha}"}""", "session_id" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_bodies_are_validation_errors_naming_the_field(string method, string path, string template, string field)
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();
        var json = Fill(template, world).Replace("{sha63}", Sha[..63]).Replace("{shaNotHex}", Sha[..63] + "g").Replace("{sha}", Sha);

        await (await SendRawAsync(admin, method, Base + Fill(path, world), json)).Invalid(field);
    }

    [Theory]
    [InlineData("/sessions")]
    [InlineData("/presign")]
    [InlineData("/events")]
    [InlineData("/auth/device")]
    public async Task A_body_over_256_KiB_is_413_in_the_envelope(string path)
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();
        var huge = $$"""{"site_id":"{{world.Site}}","pad":"{{new string('x', 257 * 1024)}}"}""";
        // Expect: 100-continue, as large uploads send it: the 413 comes before the body goes out.
        var request = new HttpRequestMessage(HttpMethod.Post, Base + path) { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        await (await admin.SendAsync(request)).Error(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    private static object Event(Guid entityId, string type = "upload_started", string entityType = "session") =>
        new { entity_type = entityType, entity_id = entityId, type };

    private static async Task<int> EventCountAsync(HttpClient admin, Guid entityId) =>
        (await (await admin.GetAsync($"{Base}/events?entity_id={entityId}")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32();

    [Fact]
    public async Task A_batch_of_at_most_MaxEventBatch_is_taken_and_one_more_is_refused()
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();
        var session = (await admin.CreateSessionAsync(world.Site)).Id();

        await (await admin.PostAsJsonAsync($"{Base}/events", new { events = Enumerable.Repeat(Event(session), 101) })).Invalid("events");
        Assert.Equal(0, await EventCountAsync(admin, session));
        var accepted = await (await admin.PostAsJsonAsync($"{Base}/events", new { events = Enumerable.Repeat(Event(session), 100) }))
            .Status(HttpStatusCode.Created);
        Assert.Equal(100, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal(100, await EventCountAsync(admin, session));
    }

    [Fact]
    public async Task One_bad_event_refuses_the_whole_batch_and_names_its_index()
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();
        var session = (await admin.CreateSessionAsync(world.Site)).Id();

        var badType = await (await admin.PostAsJsonAsync($"{Base}/events",
            new { events = new[] { Event(session), Event(session, "upload_complete"), Event(session, "uploaded") } })).Invalid("events[2].type");
        Assert.Equal(["events[2].type"], badType.GetProperty("details").EnumerateObject().Select(p => p.Name));
        await (await admin.PostAsJsonAsync($"{Base}/events",
            new { events = new[] { Event(session), Event(Guid.NewGuid()) } })).Invalid("events[1].entity_id");
        await (await admin.PostAsJsonAsync($"{Base}/events",
            new { events = new object[] { Event(session), new { entity_type = "image", entity_id = session } } })).Invalid("events[1].type");
        await (await admin.PostRawAsync($"{Base}/events",
            $$"""{"events":[{"entity_type":"session","entity_id":"{{session}}","type":"upload_started"},{"entity_type":"session","entity_id":7,"type":"upload_started"}]}"""))
            .Invalid("events[1].entity_id");

        Assert.Equal(0, await EventCountAsync(admin, session));
    }

    [Fact]
    public async Task An_empty_batch_and_a_mix_of_single_and_batch_are_refused()
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();

        await (await admin.PostAsJsonAsync($"{Base}/events", new { events = Array.Empty<object>() })).Invalid("events");
        await (await admin.PostAsJsonAsync($"{Base}/events",
            new { entity_type = "session", entity_id = world.Session, type = "upload_started", events = new[] { Event(world.Session) } })).Invalid("events");
        Assert.Equal(0, await EventCountAsync(admin, world.Session));
    }

    private string RealToken(Guid sub, Guid orgId, DateTimeOffset expires, SigningCredentials? key = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scanport",
            Audience = "scanport",
            IssuedAt = (expires - TimeSpan.FromHours(1)).UtcDateTime,
            NotBefore = (expires - TimeSpan.FromHours(1)).UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = sub.ToString(), ["org_id"] = orgId.ToString(), ["role"] = "admin" },
            SigningCredentials = key ?? app.Services.GetRequiredService<SigningKeyRing>().Current,
        });

    private static async Task AssertUnauthorizedAsync(ScanportApp app, string? token)
    {
        using var client = app.Client();
        if (token is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        foreach (var response in new[]
                 {
                     await client.GetAsync($"{Base}/sessions"),
                     await client.PostAsJsonAsync($"{Base}/sessions", new { }),
                     await client.PostAsJsonAsync($"{Base}/presign", new { }),
                 })
        {
            await response.Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.First().Scheme);
        }
    }

    [Fact]
    public async Task Forged_garbage_and_expired_tokens_are_unauthorized()
    {
        var world = await WorldAsync();
        var adminId = await world.Tenant.AdminIdAsync();
        var now = TimeProvider.System.GetUtcNow();
        var valid = RealToken(adminId, world.Tenant.OrgId, now.AddMinutes(10));
        using (var control = app.Client(valid)) await (await control.GetAsync($"{Base}/sessions")).Status(HttpStatusCode.OK);
        var payload = new JsonWebToken(valid).EncodedPayload;
        static string Segment(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var anyKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("any-secret-of-at-least-thirty-two-bytes!"));

        await AssertUnauthorizedAsync(app, null);
        await AssertUnauthorizedAsync(app, $"{Segment("""{"alg":"none","typ":"JWT"}""")}.{payload}.");
        await AssertUnauthorizedAsync(app, RealToken(adminId, world.Tenant.OrgId, now.AddMinutes(10), new SigningCredentials(anyKey, SecurityAlgorithms.HmacSha256)));
        await AssertUnauthorizedAsync(app, "garbage");
        await AssertUnauthorizedAsync(app, "eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
        await AssertUnauthorizedAsync(app, RealToken(adminId, world.Tenant.OrgId, now.AddMinutes(-5)));
    }

    [Fact]
    public async Task An_expired_device_token_is_unauthorized()
    {
        var world = await WorldAsync();
        var deviceId = Guid.Parse(JwtPayload(world.DeviceToken).GetProperty("sub").GetString()!);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var expired = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scanport",
            Audience = "scanport",
            NotBefore = now.AddDays(-31),
            Expires = now.AddMinutes(-5),
            Claims = new Dictionary<string, object> { ["sub"] = deviceId.ToString(), ["org_id"] = world.Tenant.OrgId.ToString(), ["role"] = "device" },
            SigningCredentials = app.Services.GetRequiredService<SigningKeyRing>().Current,
        });

        await AssertUnauthorizedAsync(app, expired);
    }

    public static TheoryData<string, string> UnknownIds => new()
    {
        { "GET", "/sessions/{random}" },
        { "GET", "/sessions/not-a-uuid" },
        { "PATCH", "/sessions/{random}" },
        { "PATCH", "/sessions/42" },
        { "GET", "/images/{random}" },
        { "GET", "/images/not-a-uuid" },
        { "POST", "/images/{random}/publish" },
        { "POST", "/images/not-a-uuid/publish" },
        { "GET", "/images?session_id={random}" },
        { "GET", "/nothing-here" },
    };

    [Theory]
    [MemberData(nameof(UnknownIds))]
    public async Task Ids_that_name_nothing_are_not_found(string method, string path)
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();
        var request = new HttpRequestMessage(new HttpMethod(method), Base + path.Replace("{random}", Guid.NewGuid().ToString()));
        if (method == "PATCH") request.Content = JsonContent.Create(new { status = "complete" });

        await (await admin.SendAsync(request)).Error(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Presigning_for_a_session_that_does_not_exist_is_not_found()
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();
        using var device = app.Client(world.DeviceToken);

        foreach (var client in new[] { admin, device })
        {
            var response = await client.PostAsJsonAsync($"{Base}/presign",
                new { session_id = Guid.NewGuid(), file_name = "a.jpg", content_type = "image/jpeg", content_sha256 = Sha });
            await response.Error(HttpStatusCode.NotFound, "NOT_FOUND");
        }
    }

    [Fact]
    public async Task Image_listings_need_a_valid_session_id()
    {
        var world = await WorldAsync();
        using var admin = world.Tenant.Admin();

        await (await admin.GetAsync($"{Base}/images")).Invalid("session_id");
        await (await admin.GetAsync($"{Base}/images?session_id=not-a-uuid")).Invalid("session_id");
        await (await admin.GetAsync($"{Base}/images?session_id={world.Session}&status=lost")).Invalid("status");
        var ok = await (await admin.GetAsync($"{Base}/images?session_id={world.Session}")).Status(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, ok.GetProperty("data").ValueKind);
    }
}
