using System.Net;
using System.Net.Http.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class OAuthTokenTests(ScanportApp app)
{
    private const string TokenUrl = $"{PlatformCalls.Base}/oauth/token";
    private const string Password = "user-password-123";

    private async Task<string> UserEmailAsync(Tenant tenant, string role = "operator")
    {
        using var admin = tenant.Admin();
        var email = $"{role}-{Guid.NewGuid():N}@tenant.test";
        await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/users", new { email, role, password = Password }))
            .Status(HttpStatusCode.Created);
        return email;
    }

    [Fact]
    public async Task Password_grant_returns_a_bearer_token_that_is_never_cached()
    {
        var tenant = await app.NewTenantAsync();
        var email = await UserEmailAsync(tenant);

        var response = await app.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", Password));

        var body = await response.Status(HttpStatusCode.OK);
        Assert.Equal(["access_token", "expires_in", "token_type"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(8 * 3600, body.GetProperty("expires_in").GetInt32());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));

        using var client = app.Client(body.GetProperty("access_token").GetString());
        var me = await (await client.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("operator", me.GetProperty("role").GetString());
        Assert.Equal(tenant.OrgId, me.GetProperty("org_id").GetGuid());
    }

    [Fact]
    public async Task Password_grant_ignores_the_case_of_the_email()
    {
        var tenant = await app.NewTenantAsync();
        var email = await UserEmailAsync(tenant);

        var response = await app.PostTokenAsync(("grant_type", "password"), ("username", email.ToUpperInvariant()), ("password", Password));

        await response.Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Password_grant_with_a_wrong_password_is_invalid_grant()
    {
        var tenant = await app.NewTenantAsync();
        var email = await UserEmailAsync(tenant);

        var response = await app.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", "not-the-password"));

        await response.OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Password_grant_for_an_unknown_user_is_invalid_grant_and_reads_like_a_wrong_password()
    {
        var tenant = await app.NewTenantAsync();
        var email = await UserEmailAsync(tenant);

        var unknown = await (await app.PostTokenAsync(("grant_type", "password"), ("username", $"nobody-{Guid.NewGuid():N}@tenant.test"), ("password", Password)))
            .OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
        var wrong = await (await app.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", "not-the-password")))
            .OAuthError(HttpStatusCode.BadRequest, "invalid_grant");

        Assert.Equal(wrong.GetProperty("error_description").GetString(), unknown.GetProperty("error_description").GetString());
    }

    [Theory]
    [InlineData("username")]
    [InlineData("password")]
    public async Task Password_grant_without_username_or_password_is_invalid_request(string missing)
    {
        var fields = new[] { ("grant_type", "password"), ("username", "someone@tenant.test"), ("password", Password) };

        var response = await app.PostTokenAsync(fields.Where(f => f.Item1 != missing).ToArray());

        await response.OAuthError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_request_without_grant_type_is_invalid_request()
    {
        var response = await app.PostTokenAsync(("username", ScanportApp.AdminEmail), ("password", ScanportApp.AdminPassword));

        await response.OAuthError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("refresh_token")]
    [InlineData("PASSWORD")]
    public async Task An_unsupported_grant_type_is_unsupported_grant_type(string grantType)
    {
        var response = await app.PostTokenAsync(("grant_type", grantType), ("username", ScanportApp.AdminEmail), ("password", ScanportApp.AdminPassword));

        await response.OAuthError(HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task A_JSON_body_is_invalid_request()
    {
        using var client = app.Client();

        var response = await client.PostAsJsonAsync(TokenUrl,
            new { grant_type = "password", username = ScanportApp.AdminEmail, password = ScanportApp.AdminPassword });

        await response.OAuthError(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostAsync(TokenUrl, new StringContent("grant_type=password", System.Text.Encoding.UTF8, "text/plain")))
            .OAuthError(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostAsync(TokenUrl, null)).OAuthError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task The_platform_document_describes_the_token_form()
    {
        using var client = app.Client();

        var document = await (await client.GetAsync("/openapi/platform.json")).Status(HttpStatusCode.OK);

        var body = document.GetProperty("paths").GetProperty(TokenUrl).GetProperty("post").GetProperty("requestBody");
        var schema = body.GetProperty("content").GetProperty("application/x-www-form-urlencoded").GetProperty("schema");
        Assert.Equal(["client_id", "client_secret", "grant_type", "password", "username"],
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Client_credentials_in_form_fields_give_a_token_for_the_api_key()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync("operator");

        var response = await app.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", secret));

        var body = await response.Status(HttpStatusCode.OK);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var client = app.Client(body.GetProperty("access_token").GetString());
        var me = await (await client.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal("api_key", me.GetProperty("kind").GetString());
        Assert.Equal(keyId, me.Id());
        Assert.Equal(tenant.OrgId, me.GetProperty("org_id").GetGuid());
        Assert.Equal("operator", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Client_credentials_in_HTTP_Basic_give_a_token_for_the_api_key()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync();
        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = PlatformCalls.Basic(keyId.ToString(), secret);

        var response = await client.PostAsync(TokenUrl, PlatformCalls.Form(("grant_type", "client_credentials")));

        var body = await response.Status(HttpStatusCode.OK);
        using var bearer = app.Client(body.GetProperty("access_token").GetString());
        var me = await (await bearer.GetAsync($"{PlatformCalls.Base}/me")).Status(HttpStatusCode.OK);
        Assert.Equal("api_key", me.GetProperty("kind").GetString());
        Assert.Equal(keyId, me.Id());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Client_credentials_with_a_wrong_secret_are_invalid_client()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync();
        var wrong = secret[..^4] + (secret.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var response = await app.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", wrong));

        await response.OAuthError(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Client_credentials_naming_another_key_than_the_secret_are_invalid_client()
    {
        var tenant = await app.NewTenantAsync();
        var (firstId, _) = await tenant.ApiKeyAsync();
        var (_, secondSecret) = await tenant.ApiKeyAsync();

        var response = await app.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", firstId.ToString()), ("client_secret", secondSecret));

        await response.OAuthError(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Client_credentials_of_a_revoked_key_are_invalid_client()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync();
        using var admin = tenant.Admin();
        await (await admin.DeleteAsync($"{PlatformCalls.Base}/api-keys/{keyId}")).Status(HttpStatusCode.NoContent);

        var response = await app.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", secret));

        await response.OAuthError(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Client_credentials_without_a_secret_are_invalid_request()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, _) = await tenant.ApiKeyAsync();

        var response = await app.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()));

        await response.OAuthError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Malformed_HTTP_Basic_credentials_are_invalid_client()
    {
        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new("Basic", "not base64!");

        var response = await client.PostAsync(TokenUrl, PlatformCalls.Form(("grant_type", "client_credentials")));

        await response.OAuthError(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_user_password_is_not_accepted_as_client_credentials()
    {
        var response = await app.PostTokenAsync(("grant_type", "client_credentials"),
            ("client_id", ScanportApp.AdminEmail), ("client_secret", ScanportApp.AdminPassword));

        await response.OAuthError(HttpStatusCode.Unauthorized, "invalid_client");
    }
}
