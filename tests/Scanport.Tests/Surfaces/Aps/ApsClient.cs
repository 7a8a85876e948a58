using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// An APS application as the tests drive it: an API key (the OAuth client) with a registered redirect URI, and a user of
/// the same organization who signs in through the server-rendered pages like a browser would (cookies, forms, redirects
/// followed by hand).
/// </summary>
public sealed partial record ApsClient(ScanportApp App, Tenant Tenant, Guid ClientId, string Secret, string UserEmail, string UserPassword)
{
    public const string RedirectUri = "http://127.0.0.1:9/callback";
    public const string Token = "/authentication/v2/token";
    public const string Authorize = "/authentication/v2/authorize";

    public static async Task<ApsClient> CreateAsync(ScanportApp app, string role = "operator")
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var key = await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/api-keys",
            new { name = "APS app", role, redirect_uris = new[] { RedirectUri } })).Status(HttpStatusCode.Created);
        var email = $"aps-{Guid.NewGuid():N}@tenant.test";
        const string password = "aps-user-password";
        await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/users", new { email, name = "APS user", role, password }))
            .Status(HttpStatusCode.Created);
        return new ApsClient(app, tenant, key.Id(), key.GetProperty("secret").GetString()!, email, password);
    }

    public AuthenticationHeaderValue Basic => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{Secret}")));

    /// <summary>POSTs a form to a token-like endpoint, the client authenticated by HTTP Basic.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, params (string Key, string Value)[] fields)
    {
        using var client = App.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = PlatformCalls.Form(fields) };
        request.Headers.Authorization = Basic;
        return await client.SendAsync(request);
    }

    public async Task<JsonElement> TwoLeggedAsync(string scope = "data:read") =>
        await (await PostAsync(Token, ("grant_type", "client_credentials"), ("scope", scope))).Status(HttpStatusCode.OK);

    /// <summary>A browser: its own cookies, redirects not followed.</summary>
    public HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = App.BaseAddress,
    };

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public string AuthorizeUrl(string challenge, string scope = "data:read user-profile:read openid", string redirectUri = RedirectUri, string state = "state-123") =>
        Authorize + "?" + string.Join("&", new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId.ToString(),
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = "nonce-456",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>Sign-in form, credentials, consent form, allow: the redirect to the client, with the code in it.</summary>
    public async Task<Uri> SignInAndConsentAsync(HttpClient browser, string challenge, string scope = "data:read user-profile:read openid")
    {
        var signIn = await browser.GetAsync(AuthorizeUrl(challenge, scope));
        var (action, fields) = await FormOf(signIn);
        Assert.Equal("/authentication/v2/signin", action);
        fields["username"] = UserEmail;
        fields["password"] = UserPassword;
        var signedIn = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var consent = await browser.GetAsync(signedIn.Headers.Location);
        (action, fields) = await FormOf(consent);
        Assert.Equal(Authorize, action);
        fields["decision"] = "allow";
        var back = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.True(back.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)back.StatusCode}: {await back.Content.ReadAsStringAsync()}");
        return back.Headers.Location!;
    }

    /// <summary>The three-legged flow to its end: the token response.</summary>
    public async Task<JsonElement> ThreeLeggedAsync(string scope = "data:read user-profile:read openid")
    {
        using var browser = Browser();
        var (verifier, challenge) = Pkce();
        var back = await SignInAndConsentAsync(browser, challenge, scope);
        return await (await RedeemAsync(Query(back)["code"], verifier)).Status(HttpStatusCode.OK);
    }

    public Task<HttpResponseMessage> RedeemAsync(string code, string verifier) =>
        PostAsync(Token, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", verifier));

    public static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));

    /// <summary>A page's one form: its action and its hidden fields.</summary>
    public static async Task<(string Action, Dictionary<string, string> Fields)> FormOf(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"expected a page, got {(int)page.StatusCode}: {html}");
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return (action, fields);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
