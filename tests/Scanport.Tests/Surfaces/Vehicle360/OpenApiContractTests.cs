using System.Net;
using System.Net.Http.Json;
using NJsonSchema;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>Real responses of the running app, status and body, checked against the document's OpenAPI schemas.</summary>
[Collection(AppCollection.Name)]
public sealed class OpenApiContractTests(ScanportApp app)
{
    private static OpenApiContract Contract => OpenApiContract.Document;

    private static async Task AssertConformsAsync(HttpResponseMessage response, HttpStatusCode status, JsonSchema schema)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        var errors = OpenApiContract.Errors(schema, body);
        Assert.True(errors.Count == 0, $"{body}\ndoes not match the document:\n{string.Join("\n", errors)}");
    }

    private const string ValidSession = """
        {"id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f6","org_id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f7",
         "site_id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f8","vehicle_id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f9",
         "mode":"studio360","shot_list":{},"status":"active","started_at":"2025-01-15T10:00:00.000Z","completed_at":null}
        """;

    private const string ValidImage = """
        {"id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f6","session_id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f7","angle_deg":15,
         "shot_name":null,"thumb_keys":{},"qc":{},"status":"pending","created_at":"2025-01-15T10:01:00.000Z","published_at":null}
        """;

    [Fact]
    public void The_schemas_enforce_formats_enums_nullable_and_presence()
    {
        var session = Contract.Component("Session");
        Assert.Equal(JsonObjectType.Object, session.Type);
        Assert.True(session.Properties["completed_at"].IsNullable(SchemaType.OpenApi3));
        Assert.False(session.Properties["started_at"].IsNullable(SchemaType.OpenApi3));

        Assert.Empty(OpenApiContract.Errors(session, ValidSession));
        Assert.Empty(OpenApiContract.Errors(session, ValidSession.Replace("\"completed_at\":null", "\"completed_at\":\"2025-01-15T10:30:00Z\"")));
        // Each deliberate mistake must fail, or the contract tests below would pass whatever the app answers.
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace("\"active\"", "\"weird\"")));
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace("\"studio360\"", "\"orbit\"")));
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace("\"2025-01-15T10:00:00.000Z\"", "\"yesterday\"")));
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace("\"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f6\"", "\"session-1\"")));
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace("\"started_at\":\"2025-01-15T10:00:00.000Z\"", "\"started_at\":null")));
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace("\"shot_list\":{}", "\"shot_list\":[]")));
        Assert.NotEmpty(OpenApiContract.Errors(session, ValidSession.Replace(",\"completed_at\":null", "")));
        var image = Contract.Component("Image");
        Assert.Empty(OpenApiContract.Errors(image, ValidImage));
        Assert.NotEmpty(OpenApiContract.Errors(image, ValidImage.Replace("\"angle_deg\":15", "\"angle_deg\":\"15\"")));
        Assert.NotEmpty(OpenApiContract.Errors(image, ValidImage.Replace("\"pending\"", "\"uploaded\"")));
        Assert.Empty(OpenApiContract.Errors(image, ValidImage.Replace("\"angle_deg\":15", "\"angle_deg\":null")));
        var error = Contract.Component("Error");
        Assert.NotEmpty(OpenApiContract.Errors(error, """{"error":{"code":"X","message":"m","details":{}},"request_id":"req-1"}"""));
        Assert.NotEmpty(OpenApiContract.Errors(error, """{"error":"X","request_id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f6"}"""));
        Assert.Empty(OpenApiContract.Errors(error, """{"error":{"code":"X","message":"m","details":{}},"request_id":"0190f0e4-9a1b-7c3d-8e4f-a1b2c3d4e5f6"}"""));
    }

    [Fact]
    public void The_yaml_block_is_found_after_its_heading()
    {
        var yaml = OpenApiContract.YamlBlock("# T\n```yaml\nnot: this\n```\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.3\n```\n");

        Assert.Equal("openapi: 3.0.3", yaml);
        Assert.Equal("3.0.3", Contract.Root["openapi"]!.GetValue<string>());
        Assert.True(Contract.Root["components"]!["schemas"]!["Image"]!["properties"]!["angle_deg"]!["nullable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Device_enrollment_answers_the_documents_200()
    {
        var tenant = await app.NewTenantAsync();
        var code = await tenant.EnrollmentCodeAsync();
        using var client = app.Client();

        var response = await client.PostAsJsonAsync($"{Base}/auth/device", DeviceBody(tenant.OrgId, code));

        await AssertConformsAsync(response, HttpStatusCode.OK, Contract.Response("/auth/device", "post", 200));
    }

    [Fact]
    public async Task Sessions_are_the_documents_Session_when_created_read_and_ended()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (_, deviceToken) = await tenant.DeviceAsync(site);
        using var device = app.Client(deviceToken);
        using var admin = tenant.Admin();

        var created = await device.PostAsJsonAsync($"{Base}/sessions", new
        {
            site_id = site,
            vehicle = new { vin = "1HGCM82633A123456", stock = "STK-001" },
            mode = "studio360",
            shot_list = new { studio360 = new { frame_count = 24 } },
        });
        await AssertConformsAsync(created, HttpStatusCode.Created, Contract.Response("/sessions", "post", 201));
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Id();
        await AssertConformsAsync(await device.GetAsync($"{Base}/sessions/{id}"), HttpStatusCode.OK, Contract.Response("/sessions/{id}", "get", 200));
        await AssertConformsAsync(await admin.GetAsync($"{Base}/sessions/{id}"), HttpStatusCode.OK, Contract.Response("/sessions/{id}", "get", 200));
        // PATCH answers "Updated session object" in the prose; the block gives it no schema, so it is held to Session.
        await AssertConformsAsync(await admin.PatchAsJsonAsync($"{Base}/sessions/{id}", new { status = "complete" }), HttpStatusCode.OK,
            Contract.Component("Session"));
    }

    [Fact]
    public async Task Presign_and_the_image_it_makes_are_the_documents()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        using var admin = tenant.Admin();
        var session = (await admin.CreateSessionAsync(site, mode: "stills", shotList: new { stills = new[] { "front_3q" } })).Id();

        var presign = await admin.PostAsJsonAsync($"{Base}/presign",
            new { session_id = session, file_name = "IMG_001.jpg", content_type = "image/jpeg", content_sha256 = Sha256("photo"u8.ToArray()) });

        await AssertConformsAsync(presign, HttpStatusCode.OK, Contract.Response("/presign", "post", 200));
        var imageId = (await presign.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("image_id").GetGuid();
        await AssertConformsAsync(await admin.GetAsync($"{Base}/images/{imageId}"), HttpStatusCode.OK, Contract.Response("/images/{id}", "get", 200));
        var studio = (await admin.CreateSessionAsync(site)).Id();
        var angled = await admin.PresignAsync(studio, "photo"u8.ToArray());
        await AssertConformsAsync(await admin.GetAsync($"{Base}/images/{angled.GetProperty("image_id").GetGuid()}"), HttpStatusCode.OK,
            Contract.Response("/images/{id}", "get", 200));
    }

    [Fact]
    public async Task Errors_are_the_documents_Error()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (_, deviceToken) = await tenant.DeviceAsync(site);
        using var admin = tenant.Admin();
        using var device = app.Client(deviceToken);
        using var anonymous = app.Client();
        var error = Contract.Component("Error");
        var image = (await admin.PresignAsync((await admin.CreateSessionAsync(site)).Id(), "photo"u8.ToArray())).GetProperty("image_id").GetGuid();

        await AssertConformsAsync(await admin.PostAsJsonAsync($"{Base}/sessions", new { mode = "orbit" }), HttpStatusCode.BadRequest, error);
        await AssertConformsAsync(await admin.PostRawAsync($"{Base}/sessions", "{"), HttpStatusCode.BadRequest, error);
        await AssertConformsAsync(await anonymous.GetAsync($"{Base}/sessions"), HttpStatusCode.Unauthorized, error);
        await AssertConformsAsync(await device.GetAsync($"{Base}/sessions"), HttpStatusCode.Forbidden, error);
        await AssertConformsAsync(await anonymous.PostAsJsonAsync($"{Base}/auth/device", DeviceBody(Guid.NewGuid())), HttpStatusCode.Forbidden, error);
        await AssertConformsAsync(await admin.GetAsync($"{Base}/sessions/{Guid.NewGuid()}"), HttpStatusCode.NotFound, error);
        await AssertConformsAsync(await admin.GetAsync($"{Base}/no-such-route"), HttpStatusCode.NotFound, error);
        await AssertConformsAsync(await admin.PostAsync($"{Base}/images/{image}/publish", null), HttpStatusCode.Conflict, error);
    }
}
