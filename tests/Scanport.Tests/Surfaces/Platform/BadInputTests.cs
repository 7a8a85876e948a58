using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Scanport.Tests.Surfaces.Platform;

/// <summary>Bodies a client gets wrong are 400 problem details naming what is wrong, never a 500.</summary>
[Collection(AppCollection.Name)]
public sealed class BadInputTests(ScanportApp app)
{
    private const string Base = PlatformCalls.Base;

    [Theory]
    [InlineData("/users", """{"email":"a@tenant.test","role":"operator",""")]
    [InlineData("/users", """{"email":"a@tenant.test" "role":"operator"}""")]
    [InlineData("/sites", "name=North")]
    [InlineData("/projects", """{"name":"P",}""")]
    [InlineData("/api-keys", "{")]
    [InlineData("/devices/enrollment-codes", "[")]
    public async Task Malformed_JSON_is_a_problem_naming_the_body(string path, string json)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var errors = await (await admin.PostRawAsync(Base + path, json)).Invalid("body");

        Assert.StartsWith("is not valid JSON", errors.Reasons("body").Single());
    }

    [Theory]
    [InlineData("/users", """{"email":"a@tenant.test","role":"operator","site_ids":"x"}""", "site_ids", "must be an array")]
    [InlineData("/users", """{"email":"a@tenant.test","role":"operator","site_ids":["x"]}""", "site_ids[0]", "must be a UUID")]
    [InlineData("/users", """{"email":42,"role":"operator"}""", "email", "must be a string")]
    [InlineData("/projects", """{"name":"P","cloud_only":"yes"}""", "cloud_only", "must be true or false")]
    [InlineData("/projects", """{"name":"P","member_ids":{}}""", "member_ids", "must be an array")]
    [InlineData("/projects", """{"name":["P"]}""", "name", "must be a string")]
    [InlineData("/sites", """{"name":true}""", "name", "must be a string")]
    [InlineData("/api-keys", """{"name":"k","role":"admin","expires_at":"tomorrow"}""", "expires_at", "must be an ISO 8601 date-time")]
    [InlineData("/devices/enrollment-codes", """{"expires_in":"3600"}""", "expires_in", "must be an integer")]
    [InlineData("/devices/enrollment-codes", """{"expires_in":3600.5}""", "expires_in", "must be an integer")]
    [InlineData("/devices/enrollment-codes", """{"expires_in":99999999999}""", "expires_in", "must be an integer")]
    [InlineData("/devices/enrollment-codes", """{"site_id":"north"}""", "site_id", "must be a UUID")]
    public async Task A_value_of_the_wrong_type_is_a_problem_naming_the_field(string path, string json, string field, string reason)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var errors = await (await admin.PostRawAsync(Base + path, json)).Invalid(field);

        Assert.Equal([reason], errors.Reasons(field));
    }

    [Theory]
    [InlineData("""{"cloud_only":"yes"}""", "cloud_only")]
    [InlineData("""{"member_ids":"x"}""", "member_ids")]
    public async Task A_patch_with_a_wrong_type_is_a_problem_naming_the_field(string json, string field)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var project = await (await admin.PostAsJsonAsync($"{Base}/projects", new { name = "P" })).Status(HttpStatusCode.Created);

        await (await admin.PatchRawAsync($"{Base}/projects/{project.Id()}", json)).Invalid(field);
        await (await admin.PatchRawAsync($"{Base}/users/{await tenant.AdminIdAsync()}", """{"site_ids":"x"}""")).Invalid("site_ids");
        await (await admin.PatchRawAsync($"{Base}/organizations/current", """{"open_enrollment":"yes"}""")).Invalid("open_enrollment");
    }

    [Theory]
    [InlineData("/users")]
    [InlineData("/projects")]
    [InlineData("/sites")]
    public async Task A_missing_body_is_a_bad_request(string path)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        await (await admin.PostAsync(Base + path, new StringContent("", Encoding.UTF8, "application/json"))).Problem(HttpStatusCode.BadRequest);
        await (await admin.PostRawAsync(Base + path, "null")).Problem(HttpStatusCode.BadRequest);
        await (await admin.PostRawAsync(Base + path, "[]")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_an_unsupported_media_type()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var response = await admin.PostAsync($"{Base}/sites", new StringContent("""{"name":"North"}""", Encoding.UTF8, "text/plain"));

        await response.Problem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_refused()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var response = await admin.PostAsJsonAsync($"{Base}/projects", new { name = "P", description = new string('d', 70 * 1024) });

        await response.Problem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("/users/not-a-guid")]
    [InlineData("/projects/42")]
    [InlineData("/sites/00000000-0000-0000-0000-000000000000")]
    public async Task An_id_that_names_nothing_is_not_found(string path)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        await (await admin.GetAsync(Base + path)).Problem(HttpStatusCode.NotFound);
    }
}
