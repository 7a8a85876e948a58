using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scanport.Identity;

namespace Scanport.Tests.Surfaces.Platform;

/// <summary>Bearer tokens the API must refuse, each next to a control token it accepts.</summary>
[Collection(AppCollection.Name)]
public sealed class TokenValidationTests(ScanportApp app)
{
    private const string MeUrl = $"{PlatformCalls.Base}/me";

    private SigningCredentials RealKey => app.Services.GetRequiredService<SigningKeyRing>().Current;

    private sealed record Claims(Guid Sub, Guid OrgId, string Role = "admin", string Issuer = "scanport", string Audience = "scanport");

    private async Task<Claims> TenantAdminAsync()
    {
        var tenant = await app.NewTenantAsync();
        return new Claims(await tenant.AdminIdAsync(), tenant.OrgId);
    }

    private static string Mint(SigningCredentials key, Claims c, TimeSpan? expiresIn = null, bool withExpiry = true)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = c.Issuer,
            Audience = c.Audience,
            IssuedAt = expires - TimeSpan.FromHours(1),
            NotBefore = expires - TimeSpan.FromHours(1),
            Expires = withExpiry ? expires : null,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = c.Sub.ToString(),
                ["org_id"] = c.OrgId.ToString(),
                ["role"] = c.Role,
                ["site_ids"] = Array.Empty<string>(),
            },
            SigningCredentials = key,
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private async Task AssertRefusedAsync(string? token)
    {
        using var client = app.Client();
        if (token is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        foreach (var url in new[] { MeUrl, $"{PlatformCalls.Base}/users", $"{PlatformCalls.Base}/projects" })
        {
            var response = await client.GetAsync(url);
            await response.Problem(HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.First().Scheme);
        }
    }

    private async Task AssertAcceptedAsync(string token, Claims c)
    {
        using var client = app.Client(token);
        var me = await (await client.GetAsync(MeUrl)).Status(HttpStatusCode.OK);
        Assert.Equal(c.Sub, me.Id());
        Assert.Equal(c.OrgId, me.GetProperty("org_id").GetGuid());
    }

    [Fact]
    public async Task A_token_minted_with_the_real_key_and_the_documented_claims_is_accepted()
    {
        var claims = await TenantAdminAsync();

        await AssertAcceptedAsync(Mint(RealKey, claims), claims);
    }

    [Fact]
    public async Task Requests_without_a_token_are_unauthorized() => await AssertRefusedAsync(null);

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.")]
    [InlineData("spk_not-a-key")]
    public async Task A_garbage_token_is_unauthorized(string token) => await AssertRefusedAsync(token);

    [Fact]
    public async Task An_api_key_secret_that_was_never_issued_is_unauthorized()
    {
        var tenant = await app.NewTenantAsync();
        var (keyId, _) = await tenant.ApiKeyAsync();

        await AssertRefusedAsync($"spk_{Guid.NewGuid():N}_{new string('A', 43)}");
        await AssertRefusedAsync($"spk_{keyId:N}_{new string('A', 43)}");
    }

    [Fact]
    public async Task A_token_with_alg_none_is_unauthorized()
    {
        var claims = await TenantAdminAsync();
        var real = new JsonWebToken(Mint(RealKey, claims));
        var payload = real.EncodedPayload;

        await AssertRefusedAsync($"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{payload}.");
        await AssertRefusedAsync($"{Base64Url($$"""{"alg":"none","typ":"JWT","kid":"{{real.Kid}}"}""")}.{payload}.");
    }

    [Fact]
    public async Task A_token_signed_with_HS256_is_unauthorized()
    {
        var claims = await TenantAdminAsync();
        // The classic confusion attack: the server's public key used as an HMAC secret.
        var publicPem = ((ECDsaSecurityKey)RealKey.Key).ECDsa.ExportSubjectPublicKeyInfoPem();
        var hmac = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(publicPem)) { KeyId = RealKey.Key.KeyId };

        await AssertRefusedAsync(Mint(new SigningCredentials(hmac, SecurityAlgorithms.HmacSha256), claims));
    }

    [Fact]
    public async Task A_token_signed_by_a_different_ES256_key_is_unauthorized()
    {
        var claims = await TenantAdminAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertRefusedAsync(Mint(new SigningCredentials(new ECDsaSecurityKey(other) { KeyId = RealKey.Key.KeyId }, SecurityAlgorithms.EcdsaSha256), claims));
        await AssertRefusedAsync(Mint(new SigningCredentials(new ECDsaSecurityKey(other) { KeyId = "not-our-key" }, SecurityAlgorithms.EcdsaSha256), claims));
        await AssertRefusedAsync(Mint(new SigningCredentials(new ECDsaSecurityKey(other), SecurityAlgorithms.EcdsaSha256), claims));
    }

    [Fact]
    public async Task An_expired_token_signed_with_the_real_key_is_unauthorized()
    {
        var claims = await TenantAdminAsync();

        await AssertRefusedAsync(Mint(RealKey, claims, expiresIn: TimeSpan.FromMinutes(-5)));
    }

    [Fact]
    public async Task A_token_without_an_expiry_is_unauthorized()
    {
        var claims = await TenantAdminAsync();

        await AssertRefusedAsync(Mint(RealKey, claims, withExpiry: false));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_unauthorized()
    {
        var claims = await TenantAdminAsync();

        await AssertRefusedAsync(Mint(RealKey, claims with { Audience = "someone-else" }));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_unauthorized()
    {
        var claims = await TenantAdminAsync();

        await AssertRefusedAsync(Mint(RealKey, claims with { Issuer = "someone-else" }));
    }

    [Fact]
    public async Task A_real_token_whose_claims_were_altered_is_unauthorized()
    {
        var tenant = await app.NewTenantAsync();
        var (_, operatorToken) = await tenant.UserAsync("operator");
        var parts = operatorToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"operator\"", "\"admin\"");

        await AssertRefusedAsync($"{parts[0]}.{Base64Url(payload)}.{parts[2]}");
    }
}
