using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scanport.Data;
using Scanport.Identity;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>The document's accounts: register, sign in as a form or JSON, and the bearer tokens its routes take or refuse.</summary>
[Collection(AppCollection.Name)]
public sealed class AccountsTests(ScanportApp app)
{
    private static string NewEmail() => $"acct-{Guid.NewGuid():N}@apsi.test";

    private async Task<int> UsersWithAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var normalized = User.Normalize(email);
        return await scope.ServiceProvider.GetRequiredService<ScanportDb>().Users.CountAsync(u => u.NormalizedEmail == normalized);
    }

    [Fact]
    public async Task Register_answers_201_with_the_user_and_a_second_registration_of_the_email_is_a_conflict()
    {
        using var anonymous = app.Client();
        var email = NewEmail();

        var user = await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email, password = Password, full_name = "Juan Pérez" }))
            .Status(HttpStatusCode.Created);
        Assert.True(user.Number() > 0);
        Assert.Equal(email, user.Text("email"));
        Assert.True(user.GetProperty("is_active").GetBoolean());
        Assert.Equal("Juan Pérez", user.Text("full_name"));
        Assert.False(user.TryGetProperty("password", out _));

        // The same email in other letters is the same account.
        await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email = email.ToUpperInvariant(), password = "Another-password-2" }))
            .ErrorAsync(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(1, await UsersWithAsync(email));
        // The first password still signs in; the second never became one.
        Assert.False(string.IsNullOrEmpty(await LoginAsync(app, email, Password)));
        var refused = await anonymous.PostAsync($"{Base}/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = email,
            ["password"] = "Another-password-2",
        }));
        await refused.ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
    }

    [Fact]
    public async Task Register_without_a_full_name_gives_null()
    {
        using var anonymous = app.Client();
        var user = await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email = NewEmail(), password = Password }))
            .Status(HttpStatusCode.Created);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, user.GetProperty("full_name").ValueKind);
    }

    [Theory]
    [InlineData("not-an-email", Password, "body.email")]
    [InlineData("", Password, "body.email")]
    [InlineData(null, Password, "body.email")]
    [InlineData("VALID", "short", "body.password")]
    [InlineData("VALID", "", "body.password")]
    [InlineData("VALID", null, "body.password")]
    public async Task Register_refuses_a_bad_email_or_a_weak_password_with_422_and_stores_nothing(string? email, string? password, string loc)
    {
        using var anonymous = app.Client();
        var stored = email == "VALID" ? NewEmail() : email;

        var response = await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email = stored, password, full_name = "X" });

        Assert.Contains(loc, await response.InvalidAsync());
        if (stored is { Length: > 0 }) Assert.Equal(0, await UsersWithAsync(stored));
    }

    [Fact]
    public async Task Register_refuses_malformed_json_and_wrong_types_with_422()
    {
        using var anonymous = app.Client();
        await (await anonymous.PostRawAsync($"{Base}/auth/register", "{\"email\": ")).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        var email = NewEmail();
        await (await anonymous.PostRawAsync($"{Base}/auth/register", $$"""{"email": "{{email}}", "password": 12345678901}"""))
            .ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        await (await anonymous.PostRawAsync($"{Base}/auth/register", "[1, 2]")).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        Assert.Equal(0, await UsersWithAsync(email));
    }

    [Fact]
    public async Task Login_takes_the_form_and_json_and_its_token_opens_the_routes()
    {
        var (email, _) = await app.UserAsync();
        using var anonymous = app.Client();

        var form = await (await anonymous.PostAsync($"{Base}/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = email,
            ["password"] = Password,
        }))).Status(HttpStatusCode.OK);
        var json = await (await anonymous.PostAsJsonAsync($"{Base}/auth/login", new { username = email, password = Password })).Status(HttpStatusCode.OK);

        foreach (var token in new[] { form, json })
        {
            Assert.Equal("bearer", token.Text("token_type"));
            using var client = app.Client(token.Text("access_token"));
            var page = await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
            Assert.Equal(0, page.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task Login_with_a_wrong_password_or_an_unknown_user_is_401_invalid_credentials()
    {
        var (email, _) = await app.UserAsync();
        using var anonymous = app.Client();

        await (await anonymous.PostAsJsonAsync($"{Base}/auth/login", new { username = email, password = "wrong-password-1" }))
            .ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
        await (await anonymous.PostAsync($"{Base}/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = NewEmail(),
            ["password"] = Password,
        }))).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
    }

    [Fact]
    public async Task Login_refuses_missing_fields_malformed_json_wrong_types_and_other_bodies_with_422()
    {
        var (email, _) = await app.UserAsync();
        using var anonymous = app.Client();
        var url = $"{Base}/auth/login";

        Assert.Contains("body.password", await (await anonymous.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = email })))
            .InvalidAsync());
        var both = await (await anonymous.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>()))).InvalidAsync();
        Assert.Contains("body.username", both);
        Assert.Contains("body.password", both);
        Assert.Contains("body.username", await (await anonymous.PostAsJsonAsync(url, new { password = Password })).InvalidAsync());
        await (await anonymous.PostRawAsync(url, "{\"username\": \"a\", ")).InvalidAsync();
        await (await anonymous.PostRawAsync(url, "\"just a string\"")).InvalidAsync();
        var types = await (await anonymous.PostRawAsync(url, $$"""{"username": ["{{email}}"], "password": 42}""")).InvalidAsync();
        Assert.Contains("body.username", types);
        Assert.Contains("body.password", types);
        await (await anonymous.PostAsync(url, new StringContent($"username={email}&password={Password}", Encoding.UTF8, "text/plain"))).InvalidAsync();
        await (await anonymous.PostAsync(url, null)).InvalidAsync();
    }

    [Fact]
    public async Task An_expired_token_is_401_token_expired_and_a_forged_or_missing_one_401_auth_required()
    {
        var (email, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);

        using (var expired = app.Client(await app.ExpiredTokenAsync(email, TimeSpan.FromMinutes(10))))
            await (await expired.GetAsync($"{Base}/projects")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_TOKEN_EXPIRED");

        // The same claims signed with a key of the forger's own.
        var real = new JsonWebToken(client.DefaultRequestHeaders.Authorization!.Parameter!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forgedToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = real.Issuer,
            Audience = real.Audiences.First(),
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(10),
            Claims = real.Claims.Where(c => c.Type is "sub" or "org_id" or "role" or "stamp").ToDictionary(c => c.Type, c => (object)c.Value),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = real.Kid }, SecurityAlgorithms.EcdsaSha256),
        });
        using (var forged = app.Client(forgedToken))
            await (await forged.GetAsync($"{Base}/projects")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
        using (var garbage = app.Client("not.a.token"))
            await (await garbage.PostAsJsonAsync($"{Base}/projects", new { name = "X" })).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
        using var anonymous = app.Client();
        await (await anonymous.GetAsync($"{Base}/files")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
        using var basic = app.Client();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{Password}")));
        await (await basic.GetAsync($"{Base}/projects")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
        // Nothing was made by the refused calls.
        Assert.Equal(0, (await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }
}
