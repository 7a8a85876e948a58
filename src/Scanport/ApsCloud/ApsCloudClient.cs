using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Scanport.ApsCloud;

/// <summary>
/// One APS application on one APS cloud (Scanport's own or Autodesk's), spoken to over APS's public wire protocol:
/// Authentication v2 (<see cref="AuthorizeUrl"/>, <see cref="ExchangeCodeAsync"/>, <see cref="RefreshAsync"/>), OSS v2
/// (<see cref="Oss"/>), Model Derivative v2 (<see cref="Derivatives"/>) and Webhooks v1 (<see cref="Webhooks"/>). Calls
/// authenticate with the application's two-legged token, kept and renewed by the client, unless given a user's token.
/// Every failure is an <see cref="ApsCloudException"/>.
/// </summary>
public sealed class ApsCloudClient
{
    private readonly ApsTransport _transport;
    private readonly ApsTokenCache _tokens;

    internal ApsCloudClient(ApsTransport transport, Uri baseUrl, ApsCredentials credentials, ApsTokenCache tokens)
    {
        _transport = transport;
        _tokens = tokens;
        BaseUrl = baseUrl;
        Credentials = credentials;
        var appToken = tokens.For(transport, baseUrl, credentials, transport.Options.Scopes);
        Oss = new ApsOss(transport, baseUrl, appToken);
        Derivatives = new ApsDerivatives(transport, baseUrl, appToken);
        Webhooks = new ApsWebhooks(transport, baseUrl, appToken);
        AppToken = appToken;
    }

    /// <summary>The cloud's origin, ending in a slash.</summary>
    public Uri BaseUrl { get; }

    public ApsCredentials Credentials { get; }
    public ApsOss Oss { get; }
    public ApsDerivatives Derivatives { get; }
    public ApsWebhooks Webhooks { get; }
    internal ApsTokenSource AppToken { get; }

    /// <summary>The application's current two-legged token (with the configured <c>Aps:Scopes</c>).</summary>
    public Task<string> TwoLeggedTokenAsync(CancellationToken ct) => AppToken.GetAsync(ct);

    /// <summary>
    /// A two-legged token of other scopes (e.g. <c>viewables:read</c> alone for a viewer), kept and shared like the
    /// application's until shortly before it expires, so that viewers opening do not each ask the cloud for one.
    /// </summary>
    public Task<ApsToken> TwoLeggedTokenAsync(string scopes, CancellationToken ct) => _tokens.For(_transport, BaseUrl, Credentials, scopes).GetTokenAsync(ct);

    /// <summary>
    /// Authentication v2's authorize URL (not the retired v1), with a random <c>state</c> and a PKCE S256 challenge: send
    /// the user there, keep <see cref="ApsAuthorization.State"/> and <see cref="ApsAuthorization.CodeVerifier"/> for the callback.
    /// </summary>
    public ApsAuthorization AuthorizeUrl(string redirectUri, string? scopes = null, string? state = null)
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        state ??= Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = Credentials.ClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scopes ?? _transport.Options.UserScopes,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        var url = new Uri(BaseUrl, ApsOAuth.AuthorizePath + "?" + string.Join("&", query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
        return new ApsAuthorization(url, state, verifier);
    }

    /// <summary>The user's tokens for the code the authorize page sent back. A code is single-use: not retried blindly.</summary>
    public Task<ApsToken> ExchangeCodeAsync(string code, string codeVerifier, string redirectUri, CancellationToken ct) =>
        ApsOAuth.TokenAsync(_transport, BaseUrl, Credentials, "code exchange", Replay.ThrottledOnly, ct,
            ("grant_type", "authorization_code"), ("code", code), ("code_verifier", codeVerifier), ("redirect_uri", redirectUri));

    /// <summary>New user tokens; the refresh token rotates, so store the one returned (the old one is spent).</summary>
    public Task<ApsToken> RefreshAsync(string refreshToken, string? scopes, CancellationToken ct) =>
        ApsOAuth.TokenAsync(_transport, BaseUrl, Credentials, "token refresh", Replay.ThrottledOnly, ct,
            scopes is null ? [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
                : [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", scopes)]);

    /// <summary>
    /// The signed-in user's profile (OpenID Connect's <c>userinfo</c>) for a three-legged access token: at Autodesk it is
    /// served by the user-profile host, on Scanport's cloud at its origin.
    /// </summary>
    public Task<JsonElement> UserInfoAsync(string accessToken, CancellationToken ct) =>
        _transport.JsonAsync<JsonElement>("user info", Plain(HttpMethod.Get, UserInfoUrl), Replay.Safe, new ApsBearer.Fixed(accessToken), ct);

    private Uri UserInfoUrl => BaseUrl.Host.Equals("developer.api.autodesk.com", StringComparison.OrdinalIgnoreCase)
        ? new Uri("https://api.userprofile.autodesk.com/userinfo")
        : new Uri(BaseUrl, "userinfo");

    /// <summary>The same services, as a user: calls carry the user's (three-legged) access token instead of the application's.</summary>
    public ApsUserCalls AsUser(string accessToken)
    {
        var user = new ApsBearer.Fixed(accessToken);
        return new ApsUserCalls(new ApsOss(_transport, BaseUrl, user), new ApsDerivatives(_transport, BaseUrl, user), new ApsWebhooks(_transport, BaseUrl, user));
    }


    internal static Func<HttpRequestMessage> Json(HttpMethod method, Uri url, object body, params (string Name, string Value)[] headers) => () =>
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: ApsJson.Options) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    };

    internal static Func<HttpRequestMessage> Plain(HttpMethod method, Uri url) => () => new HttpRequestMessage(method, url)
    {
        Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
    };
}

/// <summary>The authorize URL to send the user to, and what the callback needs: the state to compare and the PKCE verifier.</summary>
public sealed record ApsAuthorization(Uri Url, string State, string CodeVerifier);

/// <summary>APS's services called with a user's token.</summary>
public sealed record ApsUserCalls(ApsOss Oss, ApsDerivatives Derivatives, ApsWebhooks Webhooks);
