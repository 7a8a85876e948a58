using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Platform;

/// <summary>The platform API calls the tests arrange with, and the checks every problem response shares.</summary>
internal static class PlatformCalls
{
    public const string Base = "/platform/v1";

    public const string Users = $"{Base}/users";
    public const string UserPassword = "user-password-123";

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@tenant.test";

    public static async Task<JsonElement> CreateUserAsync(this HttpClient admin, object request) =>
        await (await admin.PostAsJsonAsync(Users, request)).Status(HttpStatusCode.Created);

    public static async Task<Guid> SiteAsync(this Tenant tenant, string? name = null)
    {
        using var admin = tenant.Admin();
        var site = await (await admin.PostAsJsonAsync($"{Base}/sites", new { name = name ?? $"site-{Guid.NewGuid():N}" }))
            .Status(HttpStatusCode.Created);
        return site.Id();
    }

    /// <summary>An API key of the tenant: its id and its secret.</summary>
    public static async Task<(Guid Id, string Secret)> ApiKeyAsync(this Tenant tenant, string role = "admin")
    {
        using var admin = tenant.Admin();
        var key = await (await admin.PostAsJsonAsync($"{Base}/api-keys", new { name = $"key-{role}", role }))
            .Status(HttpStatusCode.Created);
        return (key.Id(), key.GetProperty("secret").GetString()!);
    }

    public static async Task<Guid> AdminIdAsync(this Tenant tenant)
    {
        using var admin = tenant.Admin();
        return (await (await admin.GetAsync($"{Base}/me")).Status(HttpStatusCode.OK)).Id();
    }

    public static async Task<HttpResponseMessage> PostTokenAsync(this ScanportApp app, params (string Key, string Value)[] fields)
    {
        using var client = app.Client();
        return await client.PostAsync($"{Base}/oauth/token", Form(fields));
    }

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    public static Task<HttpResponseMessage> PatchRawAsync(this HttpClient client, string url, string json) =>
        client.PatchAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Asserts an RFC 9457 problem with the given status, and returns it.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.Status(expected);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("request_id").GetString());
        return problem;
    }

    /// <summary>Asserts a 400 problem whose <c>errors</c> name exactly the given fields, and returns the errors.</summary>
    public static async Task<JsonElement> Invalid(this HttpResponseMessage response, params string[] fields)
    {
        var errors = (await response.Problem(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(fields.Order(), errors.EnumerateObject().Select(p => p.Name).Order());
        foreach (var field in fields) Assert.NotEmpty(errors.Reasons(field));
        return errors;
    }

    /// <summary>Asserts an RFC 6749 error response: the status, <c>error</c>, a description, and nothing else.</summary>
    public static async Task<JsonElement> OAuthError(this HttpResponseMessage response, HttpStatusCode expected, string error)
    {
        var body = await response.Status(expected);
        Assert.Equal(["error", "error_description"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error_description").GetString()));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        return body;
    }

    public static Guid Id(this JsonElement e) => e.GetProperty("id").GetGuid();

    public static Guid[] Guids(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(x => x.GetGuid()).ToArray();

    public static Guid[] ItemIds(this JsonElement page) => page.GetProperty("items").EnumerateArray().Select(Id).ToArray();

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}")));
}
