using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>POST /v1/auth/device: enrollment with one-time codes or open enrollment, and refresh with the device's own token.</summary>
[Collection(AppCollection.Name)]
public sealed class DeviceAuthTests(ScanportApp app)
{
    private const string Url = $"{Base}/auth/device";
    private static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);

    private async Task<HttpResponseMessage> EnrollAsync(object body, string? token = null, string? codeHeader = null)
    {
        using var client = app.Client(token);
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = JsonContent.Create(body) };
        if (codeHeader is not null) request.Headers.Add("X-Enrollment-Code", codeHeader);
        return await client.SendAsync(request);
    }

    private static void AssertIssued(JsonElement body)
    {
        Assert.Equal(["access_token", "device_id", "expires_in"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.NotEqual(Guid.Empty, body.GetProperty("device_id").GetGuid());
        Assert.Equal(2592000, body.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task A_code_in_the_body_enrolls_a_device_with_a_thirty_day_device_token()
    {
        var tenant = await app.NewTenantAsync();
        var code = await tenant.EnrollmentCodeAsync();

        var body = await (await EnrollAsync(DeviceBody(tenant.OrgId, code))).Status(HttpStatusCode.OK);

        AssertIssued(body);
        var claims = JwtPayload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(body.GetProperty("device_id").GetGuid().ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(tenant.OrgId.ToString(), claims.GetProperty("org_id").GetString());
        Assert.Equal("device", claims.GetProperty("role").GetString());
        Assert.False(claims.TryGetProperty("site_ids", out _), "an unbound device carries no site_ids");
        AssertExpiresIn(claims, ThirtyDays);
    }

    [Fact]
    public async Task A_code_in_the_X_Enrollment_Code_header_enrolls_too()
    {
        var tenant = await app.NewTenantAsync();
        var code = await tenant.EnrollmentCodeAsync();

        var body = await (await EnrollAsync(DeviceBody(tenant.OrgId), codeHeader: code)).Status(HttpStatusCode.OK);

        AssertIssued(body);
        Assert.Equal("device", JwtPayload(body.GetProperty("access_token").GetString()!).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_site_bound_code_gives_a_token_for_that_site_only()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var code = await tenant.EnrollmentCodeAsync(site);

        var body = await (await EnrollAsync(DeviceBody(tenant.OrgId, code))).Status(HttpStatusCode.OK);

        var claims = JwtPayload(body.GetProperty("access_token").GetString()!);
        Assert.Equal([site.ToString()], claims.GetProperty("site_ids").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_code_enrolls_one_device_only()
    {
        var tenant = await app.NewTenantAsync();
        var code = await tenant.EnrollmentCodeAsync();
        await (await EnrollAsync(DeviceBody(tenant.OrgId, code))).Status(HttpStatusCode.OK);

        await (await EnrollAsync(DeviceBody(tenant.OrgId, code, model: "Pixel 9"))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await EnrollAsync(DeviceBody(tenant.OrgId), codeHeader: code)).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Unknown_codes_and_another_organizations_codes_are_forbidden()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var othersCode = await other.EnrollmentCodeAsync();

        await (await EnrollAsync(DeviceBody(tenant.OrgId, "ABCD-EFGH-JKMN"))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await EnrollAsync(DeviceBody(tenant.OrgId, othersCode))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        // The refused attempt did not use the code up: its own organization still enrolls with it.
        await (await EnrollAsync(DeviceBody(other.OrgId, othersCode))).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_expired_code_is_forbidden()
    {
        // Codes live at least a minute through the API; an app whose default lifetime is a second lets one expire.
        var shortLived = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Auth:EnrollmentCodeLifetime"] = "00:00:01" });
        try
        {
            var tenant = await shortLived.NewTenantAsync();
            var code = await tenant.EnrollmentCodeAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            using var client = shortLived.Client();
            await (await client.PostAsJsonAsync(Url, DeviceBody(tenant.OrgId, code))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        }
        finally
        {
            await ((IAsyncLifetime)shortLived).DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_code_an_organization_without_open_enrollment_is_forbidden()
    {
        var tenant = await app.NewTenantAsync();

        await (await EnrollAsync(DeviceBody(tenant.OrgId))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await EnrollAsync(DeviceBody(tenant.OrgId, code: "  "))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task An_unknown_organization_is_forbidden_with_or_without_a_code()
    {
        var tenant = await app.NewTenantAsync();
        var code = await tenant.EnrollmentCodeAsync();

        await (await EnrollAsync(DeviceBody(Guid.NewGuid()))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await EnrollAsync(DeviceBody(Guid.NewGuid(), code))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Open_enrollment_enrolls_without_a_code()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        await (await admin.PatchAsJsonAsync($"{PlatformCalls.Base}/organizations/current", new { open_enrollment = true }))
            .Status(HttpStatusCode.OK);

        var first = await (await EnrollAsync(DeviceBody(tenant.OrgId))).Status(HttpStatusCode.OK);
        var second = await (await EnrollAsync(DeviceBody(tenant.OrgId))).Status(HttpStatusCode.OK);

        AssertIssued(first);
        Assert.NotEqual(first.GetProperty("device_id").GetGuid(), second.GetProperty("device_id").GetGuid());
        var claims = JwtPayload(first.GetProperty("access_token").GetString()!);
        Assert.Equal("device", claims.GetProperty("role").GetString());
        Assert.False(claims.TryGetProperty("site_ids", out _));
        // A wrong code is still refused: open enrollment does not make bad codes good.
        await (await EnrollAsync(DeviceBody(tenant.OrgId, "ABCD-EFGH-JKMN"))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Sending_the_device_token_refreshes_the_same_device_without_a_code()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var (deviceId, token) = await tenant.DeviceAsync(site);

        var refreshed = await (await EnrollAsync(DeviceBody(tenant.OrgId, model: "iPhone 16 Pro"), token)).Status(HttpStatusCode.OK);
        var newToken = refreshed.GetProperty("access_token").GetString()!;
        var again = await (await EnrollAsync(DeviceBody(tenant.OrgId, model: "iPhone 16 Pro Max"), newToken)).Status(HttpStatusCode.OK);

        AssertIssued(refreshed);
        Assert.Equal(deviceId, refreshed.GetProperty("device_id").GetGuid());
        Assert.Equal(deviceId, again.GetProperty("device_id").GetGuid());
        Assert.NotEqual(token, newToken);
        var claims = JwtPayload(newToken);
        Assert.Equal(deviceId.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal([site.ToString()], claims.GetProperty("site_ids").EnumerateArray().Select(s => s.GetString()));
        AssertExpiresIn(claims, ThirtyDays);
        // No second device: the one device record took the new description.
        using var device = app.Client(again.GetProperty("access_token").GetString());
        var me = await (await device.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal(deviceId, me.Id());
        Assert.Equal("iPhone 16 Pro Max", me.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_device_token_of_another_organization_does_not_refresh()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var (_, othersToken) = await other.DeviceAsync();

        // The token names another organization: this is an enrollment, and it has no code.
        await (await EnrollAsync(DeviceBody(tenant.OrgId), othersToken)).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"platform":"ios","model":"m","app_version":"1"}""", "org_id" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","model":"m","app_version":"1"}""", "platform" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"ios","app_version":"1"}""", "model" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"ios","model":"m"}""", "app_version" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"windows","model":"m","app_version":"1"}""", "platform" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"iOS","model":"m","app_version":"1"}""", "platform" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"ios","model":" ","app_version":"1"}""", "model" },
        { """{"org_id":5,"platform":"ios","model":"m","app_version":"1"}""", "org_id" },
        { """{"org_id":"not-a-uuid","platform":"ios","model":"m","app_version":"1"}""", "org_id" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":1,"model":"m","app_version":"1"}""", "platform" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"ios","model":["m"],"app_version":"1"}""", "model" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001","platform":"ios","model":"m","app_version":1.0}""", "app_version" },
        { """{"org_id":"00000000-0000-0000-0000-000000000001",""", "body" },
        { "not json", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_are_validation_errors_naming_the_field(string json, string field)
    {
        using var client = app.Client();

        await (await client.PostRawAsync(Url, json)).Invalid(field);
    }
}
