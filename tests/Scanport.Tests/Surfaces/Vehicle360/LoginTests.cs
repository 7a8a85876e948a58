using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scanport.Tests.Identity;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>A test OIDC issuer and an app that trusts it, started once for the login tests.</summary>
public sealed class OidcLoginFixture : IAsyncLifetime
{
    public const string Audience = "scanport-360";

    public TestOidcIssuer Issuer { get; private set; } = null!;
    public ScanportApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await TestOidcIssuer.StartAsync();
        App = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Oidc:Issuers:0:Authority"] = Issuer.Authority,
            ["Oidc:Issuers:0:Audience"] = Audience,
            ["Oidc:Issuers:0:RequireHttps"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

/// <summary>POST /v1/auth/login: an id_token of a trusted issuer exchanged for an 8-hour user token.</summary>
public sealed class LoginTests(OidcLoginFixture fixture) : IClassFixture<OidcLoginFixture>
{
    private const string Url = $"{Base}/auth/login";
    private TestOidcIssuer Issuer => fixture.Issuer;
    private ScanportApp App => fixture.App;

    private async Task<HttpResponseMessage> LoginAsync(string idToken)
    {
        using var client = App.Client();
        return await client.PostAsJsonAsync(Url, new { id_token = idToken });
    }

    /// <summary>An operator of one site whose email an id_token can carry.</summary>
    private async Task<(Tenant Tenant, Guid UserId, string Email, Guid Site)> OperatorAsync()
    {
        var tenant = await App.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var email = PlatformCalls.NewEmail();
        using var admin = tenant.Admin();
        var user = await admin.CreateUserAsync(new { email, name = "Olga", role = "operator", site_ids = new[] { site } });
        return (tenant, user.Id(), email, site);
    }

    private string Mint(string email, string? audience = null, DateTimeOffset? expires = null, DateTimeOffset? notBefore = null,
        SigningCredentials? signedWith = null, string? issuer = null) =>
        Issuer.Mint(audience ?? OidcLoginFixture.Audience, subject: Guid.NewGuid().ToString("N"), email: email, emailVerified: true,
            notBefore: notBefore, expires: expires, signedWith: signedWith, issuer: issuer);

    [Fact]
    public async Task A_verified_email_of_a_user_signs_in_with_an_eight_hour_user_token()
    {
        var (tenant, userId, email, site) = await OperatorAsync();

        var body = await (await LoginAsync(Mint(email))).Status(HttpStatusCode.OK);

        Assert.Equal(["access_token", "expires_in", "user_id"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(userId, body.GetProperty("user_id").GetGuid());
        Assert.Equal(28800, body.GetProperty("expires_in").GetInt32());
        var token = body.GetProperty("access_token").GetString()!;
        var claims = JwtPayload(token);
        Assert.Equal(userId.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(tenant.OrgId.ToString(), claims.GetProperty("org_id").GetString());
        Assert.Equal("operator", claims.GetProperty("role").GetString());
        Assert.Equal([site.ToString()], claims.GetProperty("site_ids").EnumerateArray().Select(s => s.GetString()));
        AssertExpiresIn(claims, TimeSpan.FromHours(8));

        using var client = App.Client(token);
        var sessions = await (await client.GetAsync($"{Base}/sessions")).Status(HttpStatusCode.OK);
        Assert.Equal(0, sessions.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_token_signed_by_a_key_the_issuer_does_not_publish_is_unauthorized()
    {
        var (_, _, email, _) = await OperatorAsync();
        var stranger = TestOidcIssuer.NewKey();
        // The same kid as the published key, with another key's signature.
        var impostor = TestOidcIssuer.NewKey(Issuer.CurrentKey.KeyId);

        await (await LoginAsync(Mint(email, signedWith: new SigningCredentials(stranger, SecurityAlgorithms.RsaSha256))))
            .Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await LoginAsync(Mint(email, signedWith: new SigningCredentials(impostor, SecurityAlgorithms.RsaSha256))))
            .Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_unauthorized()
    {
        var (_, _, email, _) = await OperatorAsync();

        await (await LoginAsync(Mint(email, audience: "another-app"))).Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task An_expired_token_is_unauthorized()
    {
        var (_, _, email, _) = await OperatorAsync();
        var now = TimeProvider.System.GetUtcNow();

        // Well past the issuer clock skew the settings allow (2 minutes).
        await (await LoginAsync(Mint(email, notBefore: now.AddHours(-2), expires: now.AddMinutes(-10))))
            .Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_token_from_an_issuer_that_is_not_configured_is_unauthorized()
    {
        var (_, _, email, _) = await OperatorAsync();

        await (await LoginAsync(Mint(email, issuer: Issuer.Authority + "-other"))).Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task An_unsigned_token_is_unauthorized()
    {
        var (_, _, email, _) = await OperatorAsync();
        var payload = new JsonWebToken(Mint(email)).EncodedPayload;
        static string Header(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

        await (await LoginAsync($"{Header("""{"alg":"none","typ":"JWT"}""")}.{payload}.")).Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await LoginAsync($"{Header($$"""{"alg":"none","kid":"{{Issuer.CurrentKey.KeyId}}"}""")}.{payload}."))
            .Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    public async Task A_string_that_is_no_JWT_is_unauthorized(string idToken) =>
        await (await LoginAsync(idToken)).Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

    [Fact]
    public async Task A_valid_token_for_an_email_no_user_has_is_forbidden()
    {
        await (await LoginAsync(Mint(PlatformCalls.NewEmail()))).Error(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"id_token":""}""")]
    [InlineData("""{"id_token":null}""")]
    public async Task A_request_without_an_id_token_is_a_validation_error(string json)
    {
        using var client = App.Client();

        await (await client.PostRawAsync(Url, json)).Invalid("id_token");
    }

    [Fact]
    public async Task An_id_token_of_the_wrong_type_is_a_validation_error()
    {
        using var client = App.Client();

        await (await client.PostRawAsync(Url, """{"id_token":42}""")).Invalid("id_token");
        await (await client.PostRawAsync(Url, """{"id_token":""")).Invalid("body");
    }
}
