using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Aps;

[Collection(AppCollection.Name)]
public sealed class AuthenticationTests(ScanportApp app)
{
    private const string Token = ApsClient.Token;

    [Fact]
    public async Task A_two_legged_token_is_had_by_basic_authentication_with_the_scopes_asked()
    {
        var aps = await ApsClient.CreateAsync(app);

        var body = await aps.TwoLeggedAsync("data:read bucket:read");

        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 3590, 3600);
        var jwt = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(["bucket:read", "data:read"], jwt.Claims.Single(c => c.Type == "scope").Value.Split(' ').Order());
        Assert.Equal(aps.ClientId.ToString(), jwt.Subject);
        Assert.Equal(aps.Tenant.OrgId.ToString(), jwt.Claims.Single(c => c.Type == "org_id").Value);
        Assert.False(body.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task A_two_legged_token_is_had_with_the_client_in_the_form()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client();

        var response = await client.PostAsync(Token, PlatformCalls.Form(("grant_type", "client_credentials"), ("scope", "data:write"),
            ("client_id", aps.ClientId.ToString()), ("client_secret", aps.Secret)));

        var body = await response.Status(HttpStatusCode.OK);
        Assert.Equal("data:write", new JsonWebToken(body.GetProperty("access_token").GetString())
            .Claims.Single(c => c.Type == "scope").Value);
    }

    [Fact]
    public async Task A_wrong_secret_a_revoked_key_and_an_unknown_client_are_invalid_clients()
    {
        var aps = await ApsClient.CreateAsync(app);
        var revoked = await ApsClient.CreateAsync(app);
        using var admin = revoked.Tenant.Admin();
        await (await admin.DeleteAsync($"{PlatformCalls.Base}/api-keys/{revoked.ClientId}")).Status(HttpStatusCode.NoContent);

        foreach (var (clientId, secret) in new[]
        {
            (aps.ClientId.ToString(), aps.Secret + "x"),
            (revoked.ClientId.ToString(), revoked.Secret),
            (Guid.NewGuid().ToString(), aps.Secret),
        })
        {
            using var client = app.Client();
            var response = await client.PostAsync(Token, PlatformCalls.Form(("grant_type", "client_credentials"), ("scope", "data:read"),
                ("client_id", clientId), ("client_secret", secret)));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {text}");
            var error = JsonDocument.Parse(text).RootElement;
            Assert.Equal("invalid_client", error.GetProperty("error").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("error_description").GetString()));
            Assert.Equal(error.GetProperty("error_description").GetString(), error.GetProperty("developerMessage").GetString());
        }
    }

    [Fact]
    public async Task The_authorization_code_flow_signs_the_user_in_asks_consent_and_redirects_with_code_and_state()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var browser = aps.Browser();
        var (verifier, challenge) = ApsClient.Pkce();

        var back = await aps.SignInAndConsentAsync(browser, challenge);

        Assert.StartsWith(ApsClient.RedirectUri + "?", back.ToString());
        var query = ApsClient.Query(back);
        Assert.Equal("state-123", query["state"]);
        var body = await (await aps.RedeemAsync(query["code"], verifier)).Status(HttpStatusCode.OK);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 3590, 3600);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        var idToken = new JsonWebToken(body.GetProperty("id_token").GetString());
        Assert.Equal("nonce-456", idToken.Claims.Single(c => c.Type == "nonce").Value);
        Assert.Equal(aps.ClientId.ToString(), idToken.Audiences.Single());

        using var user = app.Client();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        var info = await (await user.GetAsync("/userinfo")).Status(HttpStatusCode.OK);
        Assert.Equal(aps.UserEmail, info.GetProperty("email").GetString());
        Assert.Equal(idToken.Subject, info.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_code_redeemed_with_the_wrong_verifier_is_refused()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var browser = aps.Browser();
        var (_, challenge) = ApsClient.Pkce();
        var back = await aps.SignInAndConsentAsync(browser, challenge);

        var error = await (await aps.RedeemAsync(ApsClient.Query(back)["code"], ApsClient.Pkce().Verifier)).Status(HttpStatusCode.BadRequest);

        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_authorization_request_without_pkce_or_to_an_unregistered_redirect_uri_is_refused_without_redirecting()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var browser = aps.Browser();
        var (_, challenge) = ApsClient.Pkce();

        var unregistered = await browser.GetAsync(aps.AuthorizeUrl(challenge, redirectUri: "http://127.0.0.1:9/elsewhere"));
        var withoutPkce = await browser.GetAsync(aps.AuthorizeUrl(challenge).Replace("&code_challenge_method=S256", "").Replace($"&code_challenge={challenge}", ""));

        Assert.Equal(HttpStatusCode.BadRequest, unregistered.StatusCode);
        Assert.Null(unregistered.Headers.Location);
        Assert.True(withoutPkce.Headers.Location is null || !ApsClient.Query(withoutPkce.Headers.Location).ContainsKey("code"),
            $"{(int)withoutPkce.StatusCode} {withoutPkce.Headers.Location}");
        Assert.NotEqual(HttpStatusCode.OK, withoutPkce.StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_is_rotated_and_the_old_one_refused()
    {
        var aps = await ApsClient.CreateAsync(app);
        var first = await aps.ThreeLeggedAsync();
        var refresh = first.GetProperty("refresh_token").GetString()!;

        var second = await (await aps.PostAsync(Token, ("grant_type", "refresh_token"), ("refresh_token", refresh))).Status(HttpStatusCode.OK);
        var again = await (await aps.PostAsync(Token, ("grant_type", "refresh_token"), ("refresh_token", refresh))).Status(HttpStatusCode.BadRequest);

        Assert.NotEqual(refresh, second.GetProperty("refresh_token").GetString());
        Assert.Equal("invalid_grant", again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_revoked_token_is_inactive_and_refused()
    {
        var aps = await ApsClient.CreateAsync(app);
        var access = (await aps.ThreeLeggedAsync()).GetProperty("access_token").GetString()!;
        var active = await (await aps.PostAsync("/authentication/v2/introspect", ("token", access))).Status(HttpStatusCode.OK);
        Assert.True(active.TryGetProperty("active", out var isActive) && isActive.GetBoolean(), active.ToString());
        Assert.True(active.TryGetProperty("client_id", out var clientId) && clientId.GetString() == aps.ClientId.ToString(), active.ToString());
        Assert.Equal("data:read openid user-profile:read", string.Join(' ', active.GetProperty("scope").GetString()!.Split(' ').Order()));
        Assert.Equal(new JsonWebToken(access).Subject, active.GetProperty("userid").GetString());

        await (await aps.PostAsync("/authentication/v2/revoke", ("token", access), ("token_type_hint", "access_token"))).Status(HttpStatusCode.OK);

        var inactive = await (await aps.PostAsync("/authentication/v2/introspect", ("token", access))).Status(HttpStatusCode.OK);
        Assert.True(inactive.TryGetProperty("active", out var stillActive) && !stillActive.GetBoolean(), inactive.ToString());
        using var user = app.Client(access);
        var refused = await (await user.GetAsync("/userinfo")).Status(HttpStatusCode.Unauthorized);
        Assert.True(refused.TryGetProperty("errorCode", out var code) && code.GetString() == "AUTH-001", refused.ToString());
    }

    [Fact]
    public async Task Userinfo_wants_a_three_legged_token_with_user_profile_read()
    {
        var aps = await ApsClient.CreateAsync(app);
        var withoutScope = (await aps.ThreeLeggedAsync("data:read")).GetProperty("access_token").GetString()!;
        var twoLegged = (await aps.TwoLeggedAsync("user-profile:read")).GetProperty("access_token").GetString()!;

        using var anonymous = app.Client();
        using var platform = app.Client(aps.Tenant.AdminToken);
        using var narrow = app.Client(withoutScope);
        using var application = app.Client(twoLegged);

        await (await anonymous.GetAsync("/userinfo")).Status(HttpStatusCode.Unauthorized);
        await (await platform.GetAsync("/userinfo")).Status(HttpStatusCode.Unauthorized);
        var forbidden = await (await narrow.GetAsync("/userinfo")).Status(HttpStatusCode.Forbidden);
        Assert.Equal("AUTH-012", forbidden.GetProperty("errorCode").GetString());
        await (await application.GetAsync("/userinfo")).Status(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_two_legged_token_names_its_key_and_stops_when_the_key_is_revoked()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var key = app.Client((await aps.TwoLeggedAsync("user-profile:read")).GetProperty("access_token").GetString());

        // Authenticated as the key (a Caller of kind api_key), which has no user profile.
        var notAUser = await (await key.GetAsync("/userinfo")).Status(HttpStatusCode.Forbidden);
        using var admin = aps.Tenant.Admin();
        await (await admin.DeleteAsync($"{PlatformCalls.Base}/api-keys/{aps.ClientId}")).Status(HttpStatusCode.NoContent);
        var revoked = await (await key.GetAsync("/userinfo")).Status(HttpStatusCode.Unauthorized);

        Assert.Equal("AUTH-012", notAUser.GetProperty("errorCode").GetString());
        Assert.Equal("AUTH-001", revoked.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_client_signs_in_only_users_of_its_own_organization()
    {
        var aps = await ApsClient.CreateAsync(app);
        var other = await ApsClient.CreateAsync(app);
        var stranger = aps with { UserEmail = other.UserEmail, UserPassword = other.UserPassword };
        using var browser = stranger.Browser();
        var (action, fields) = await ApsClient.FormOf(await browser.GetAsync(stranger.AuthorizeUrl(ApsClient.Pkce().Challenge)));
        fields["username"] = stranger.UserEmail;
        fields["password"] = stranger.UserPassword;
        var signedIn = await browser.PostAsync(action, new FormUrlEncodedContent(fields));

        var answer = await browser.GetAsync(signedIn.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var query = ApsClient.Query(answer.Headers.Location!);
        Assert.Equal("access_denied", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Pruning_keeps_the_tokens_that_can_still_be_presented()
    {
        var aps = await ApsClient.CreateAsync(app);
        var tokens = await aps.ThreeLeggedAsync();
        var pruning = app.Services.GetServices<IHostedService>().OfType<Scanport.Surfaces.Aps.Authentication.OAuthPruning>().Single();

        await pruning.PruneAsync(CancellationToken.None);

        await (await aps.PostAsync(Token, ("grant_type", "refresh_token"), ("refresh_token", tokens.GetProperty("refresh_token").GetString()!)))
            .Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_returns_only_to_a_registered_address()
    {
        using var browser = (await ApsClient.CreateAsync(app)).Browser();

        var registered = await browser.GetAsync($"/authentication/v2/logout?post_logout_redirect_uri={Uri.EscapeDataString(ApsClient.RedirectUri)}");
        var unregistered = await browser.GetAsync("/authentication/v2/logout?post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F");

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal(ApsClient.RedirectUri, registered.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, unregistered.StatusCode);
        Assert.Null(unregistered.Headers.Location);
    }

    [Fact]
    public async Task A_sign_in_without_the_antiforgery_token_is_refused()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var browser = aps.Browser();
        var (action, fields) = await ApsClient.FormOf(await browser.GetAsync(aps.AuthorizeUrl(ApsClient.Pkce().Challenge)));
        fields.Remove(fields.Keys.Single(k => k.StartsWith("__", StringComparison.Ordinal)));
        fields["username"] = aps.UserEmail;
        fields["password"] = aps.UserPassword;

        var refused = await browser.PostAsync(action, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task The_keys_and_the_discovery_document_describe_the_server()
    {
        using var client = app.Client();

        var keys = await (await client.GetAsync("/authentication/v2/keys")).Status(HttpStatusCode.OK);
        var discovery = await (await client.GetAsync("/.well-known/openid-configuration")).Status(HttpStatusCode.OK);

        var key = keys.GetProperty("keys").EnumerateArray().First();
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        var origin = app.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal($"{origin}/authentication/v2/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{origin}/authentication/v2/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal($"{origin}/authentication/v2/keys", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal($"{origin}/authentication/v2/revoke", discovery.GetProperty("revocation_endpoint").GetString());
        Assert.Equal($"{origin}/authentication/v2/introspect", discovery.GetProperty("introspection_endpoint").GetString());
        Assert.Equal($"{origin}/userinfo", discovery.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("bucket:read", discovery.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Doubled_slashes_as_the_node_sdk_sends_them_are_accepted()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.BaseAddress.ToString().TrimEnd('/') + "//authentication/v2/token"))
        {
            Content = PlatformCalls.Form(("grant_type", "client_credentials"), ("scope", "data:read")),
        };
        request.Headers.Authorization = aps.Basic;
        Assert.StartsWith("//authentication", request.RequestUri!.AbsolutePath);

        var body = await (await client.SendAsync(request)).Status(HttpStatusCode.OK);

        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task The_sign_in_page_is_a_form_that_posts_to_itself_and_runs_nothing()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var browser = aps.Browser();

        var page = await browser.GetAsync(aps.AuthorizeUrl(ApsClient.Pkce().Challenge));

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("<script", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_and_issues_nothing()
    {
        var aps = await ApsClient.CreateAsync(app);
        using var browser = aps.Browser();
        var (action, fields) = await ApsClient.FormOf(await browser.GetAsync(aps.AuthorizeUrl(ApsClient.Pkce().Challenge)));
        fields["username"] = aps.UserEmail;
        fields["password"] = "wrong-password";

        var again = await browser.PostAsync(action, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Invalid email or password.", await again.Content.ReadAsStringAsync());
    }
}
