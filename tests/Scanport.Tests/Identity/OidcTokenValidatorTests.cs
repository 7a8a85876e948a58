using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scanport.Identity.Oidc;

namespace Scanport.Tests.Identity;

/// <summary>The validator, built through <c>AddOidc</c>, against a real issuer on a loopback port.</summary>
public sealed class OidcTokenValidatorTests : IAsyncLifetime
{
    private const string Audience = "scanport-client";

    private TestOidcIssuer _issuer = null!;
    private ServiceProvider _services = null!;
    private OidcTokenValidator _validator = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _services = Services(Trusting(_issuer));
        _validator = _services.GetRequiredService<OidcTokenValidator>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_token_from_a_trusted_issuer_is_accepted_with_its_claims()
    {
        var result = await _validator.ValidateAsync(_issuer.Mint(Audience, "subject-42", "Driver@Example.com", emailVerified: true));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new OidcIdentity(_issuer.Authority, "subject-42", "Driver@Example.com", true), result.Identity);
    }

    [Fact]
    public async Task Email_verified_is_read_as_a_boolean_or_a_string_and_is_false_when_absent()
    {
        Assert.True((await _validator.ValidateAsync(_issuer.Mint(Audience, email: "a@example.com", emailVerified: "true"))).Identity!.EmailVerified);
        Assert.False((await _validator.ValidateAsync(_issuer.Mint(Audience, email: "a@example.com", emailVerified: false))).Identity!.EmailVerified);
        var noEmail = (await _validator.ValidateAsync(_issuer.Mint(Audience))).Identity!;
        Assert.Null(noEmail.Email);
        Assert.False(noEmail.EmailVerified);
    }

    [Fact]
    public async Task A_token_signed_by_a_key_the_issuer_does_not_publish_is_refused()
    {
        var token = _issuer.Mint(Audience, signedWith: new SigningCredentials(TestOidcIssuer.NewKey(), SecurityAlgorithms.RsaSha256));

        AssertRefused(await _validator.ValidateAsync(token), "does not publish");
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_the_published_kid_is_refused()
    {
        var forged = TestOidcIssuer.NewKey(_issuer.CurrentKey.KeyId);
        var token = _issuer.Mint(Audience, signedWith: new SigningCredentials(forged, SecurityAlgorithms.RsaSha256));

        AssertRefused(await _validator.ValidateAsync(token), "signature");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused() =>
        AssertRefused(await _validator.ValidateAsync(_issuer.Mint("another-client")), "audience");

    [Fact]
    public async Task An_expired_token_is_refused_beyond_the_clock_skew_only()
    {
        var now = TimeProvider.System.GetUtcNow();
        var expired = _issuer.Mint(Audience, notBefore: now.AddHours(-1), expires: now.AddMinutes(-3));
        var withinSkew = _issuer.Mint(Audience, notBefore: now.AddHours(-1), expires: now.AddMinutes(-1));

        AssertRefused(await _validator.ValidateAsync(expired), "expired");
        Assert.True((await _validator.ValidateAsync(withinSkew)).Succeeded);
    }

    [Fact]
    public async Task A_token_not_valid_yet_is_refused()
    {
        var now = TimeProvider.System.GetUtcNow();
        var token = _issuer.Mint(Audience, notBefore: now.AddMinutes(10), expires: now.AddHours(1));

        AssertRefused(await _validator.ValidateAsync(token), "not valid yet");
    }

    [Fact]
    public async Task A_token_without_expiry_is_refused()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer.Authority,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "user-1" },
            SigningCredentials = new SigningCredentials(_issuer.CurrentKey, SecurityAlgorithms.RsaSha256),
        });

        AssertRefused(await _validator.ValidateAsync(token), "no expiry");
    }

    [Fact]
    public async Task A_token_from_an_issuer_not_configured_is_refused_before_any_request()
    {
        await using var stranger = await TestOidcIssuer.StartAsync();

        AssertRefused(await _validator.ValidateAsync(stranger.Mint(Audience)), "not trusted");
        Assert.Equal(0, stranger.DiscoveryFetches + stranger.JwksFetches);
        Assert.Equal(0, _issuer.DiscoveryFetches + _issuer.JwksFetches);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var valid = _issuer.Mint(Audience).Split('.');
        var none = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{valid[1]}.";

        AssertRefused(await _validator.ValidateAsync(none), "algorithm");
    }

    [Fact]
    public async Task An_HS256_token_signed_with_the_issuers_public_key_as_secret_is_refused()
    {
        var publicKeyPem = _issuer.CurrentKey.Rsa.ExportSubjectPublicKeyInfoPem();
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(publicKeyPem)) { KeyId = _issuer.CurrentKey.KeyId };
        var token = _issuer.Mint(Audience, signedWith: new SigningCredentials(secret, SecurityAlgorithms.HmacSha256));

        AssertRefused(await _validator.ValidateAsync(token), "algorithm");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public async Task Garbage_is_refused(string token) =>
        AssertRefused(await _validator.ValidateAsync(token), "not a JWT");

    [Fact]
    public async Task The_keys_are_fetched_once_and_cached()
    {
        for (var i = 0; i < 3; i++)
            Assert.True((await _validator.ValidateAsync(_issuer.Mint(Audience, subject: $"user-{i}"))).Succeeded);

        Assert.Equal(1, _issuer.DiscoveryFetches);
        Assert.Equal(1, _issuer.JwksFetches);
    }

    [Fact]
    public async Task A_token_signed_with_a_rotated_key_is_accepted_after_one_refresh()
    {
        Assert.True((await _validator.ValidateAsync(_issuer.Mint(Audience))).Succeeded);
        _issuer.RotateKey();

        var result = await _validator.ValidateAsync(_issuer.Mint(Audience));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, _issuer.JwksFetches);
        Assert.True((await _validator.ValidateAsync(_issuer.Mint(Audience))).Succeeded);
        Assert.Equal(2, _issuer.JwksFetches);
    }

    [Fact]
    public async Task Tokens_with_unknown_keys_cause_at_most_one_refresh_per_interval()
    {
        Assert.True((await _validator.ValidateAsync(_issuer.Mint(Audience))).Succeeded);
        for (var i = 0; i < 5; i++)
        {
            var token = _issuer.Mint(Audience, signedWith: new SigningCredentials(TestOidcIssuer.NewKey(), SecurityAlgorithms.RsaSha256));
            AssertRefused(await _validator.ValidateAsync(token), "does not publish");
        }
        Assert.Equal(2, _issuer.JwksFetches);

        // A real rotation within the interval waits for the next one (or the scheduled refresh).
        _issuer.RotateKey();
        AssertRefused(await _validator.ValidateAsync(_issuer.Mint(Audience)), "does not publish");
        Assert.Equal(2, _issuer.JwksFetches);
    }

    [Fact]
    public async Task An_unreachable_issuer_is_a_clean_failure()
    {
        var down = await TestOidcIssuer.StartAsync();
        var token = down.Mint(Audience);
        await down.DisposeAsync();
        await using var services = Services(Trusting(down));

        var result = await services.GetRequiredService<OidcTokenValidator>().ValidateAsync(token);

        AssertRefused(result, "could not be fetched");
    }

    [Fact]
    public async Task Oidc_settings_given_to_the_app_configure_a_working_validator()
    {
        var app = await ScanportApp.StartAsync(Trusting(_issuer).ToDictionary(s => s.Key, s => s.Value!));
        try
        {
            await using var services = new ServiceCollection().AddLogging()
                .AddOidc(app.Services.GetRequiredService<IConfiguration>()).BuildServiceProvider();

            var result = await services.GetRequiredService<OidcTokenValidator>().ValidateAsync(_issuer.Mint(Audience));

            Assert.True(result.Succeeded, result.Error);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("issuer.example.com", "scanport", null, "absolute")]
    [InlineData("http://issuer.example.com", "scanport", null, "https")]
    [InlineData("https://issuer.example.com", " ", null, "Audience")]
    [InlineData("https://issuer.example.com", "scanport", "00:00:01", "KeyRefreshInterval")]
    public void Bad_settings_are_refused_at_start(string authority, string audience, string? keyRefreshInterval, string complaint)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Oidc:Issuers:0:Authority"] = authority,
            ["Oidc:Issuers:0:Audience"] = audience,
            ["Oidc:KeyRefreshInterval"] = keyRefreshInterval,
        };
        using var services = Services(settings);

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OidcOptions>>().Value);
        Assert.Contains(complaint, e.Message);
    }

    private static void AssertRefused(OidcValidationResult result, string reason)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Identity);
        Assert.Contains(reason, result.Error);
    }

    /// <summary>Configuration keys as the environment gives them (<c>Oidc__Issuers__0__Authority</c>).</summary>
    internal static Dictionary<string, string?> Trusting(params TestOidcIssuer[] issuers) =>
        issuers.SelectMany((issuer, i) => new Dictionary<string, string?>
        {
            [$"Oidc:Issuers:{i}:Authority"] = issuer.Authority,
            [$"Oidc:Issuers:{i}:Audience"] = Audience,
            [$"Oidc:Issuers:{i}:RequireHttps"] = "false",
        }).ToDictionary();

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddOidc(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
