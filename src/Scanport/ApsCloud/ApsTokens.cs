using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;

namespace Scanport.ApsCloud;

/// <summary>An APS application's credentials: on Autodesk's cloud its client id and secret, on Scanport's an API key's.</summary>
public sealed record ApsCredentials(string ClientId, string ClientSecret)
{
    internal AuthenticationHeaderValue Basic => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));

    /// <inheritdoc/>
    public override string ToString() => $"ApsCredentials {{ ClientId = {ClientId} }}"; // never the secret, in logs either
}

/// <summary>
/// A token answer (Authentication v2's <c>/token</c>), as the caller keeps it. <see cref="RefreshToken"/> is three-legged
/// only and rotated on every refresh, so the caller stores the new one.
/// </summary>
public sealed record ApsToken(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken, string? Scope);

internal sealed record TokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>
/// Two-legged tokens of every application and scope set this process uses: each kept until shortly before it expires,
/// renewed by one caller at a time while the others wait for that renewal.
/// </summary>
public sealed class ApsTokenCache(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ApsTokenSource> _sources = new();

    internal ApsTokenSource For(ApsTransport transport, Uri baseUrl, ApsCredentials credentials, string scopes) =>
        _sources.GetOrAdd($"{baseUrl}|{credentials.ClientId}|{credentials.ClientSecret.GetHashCode()}|{scopes}",
            _ => new ApsTokenSource(transport, baseUrl, credentials, scopes, clock));
}

/// <summary>Where a call's bearer comes from: a renewable two-legged token, or a user's token as given.</summary>
internal abstract class ApsBearer
{
    public abstract Task<string> GetAsync(CancellationToken ct);

    /// <summary>Whether a refused token can be replaced by a new one.</summary>
    public abstract bool Renewable { get; }

    public virtual void Invalidate(string token) { }

    /// <summary>A user's (three-legged) token: renewing it is the caller's business, with its refresh token.</summary>
    public sealed class Fixed(string token) : ApsBearer
    {
        public override Task<string> GetAsync(CancellationToken ct) => Task.FromResult(token);
        public override bool Renewable => false;
    }
}

/// <summary>One application's two-legged token for one scope set.</summary>
internal sealed class ApsTokenSource(ApsTransport transport, Uri baseUrl, ApsCredentials credentials, string scopes, TimeProvider clock) : ApsBearer
{
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private ApsToken? _current;
    private DateTimeOffset _renewAt;

    public override bool Renewable => true;

    public override async Task<string> GetAsync(CancellationToken ct) => (await GetTokenAsync(ct)).AccessToken;

    /// <summary>The current token with its expiry, renewed first when it is within its margin of expiring.</summary>
    public async Task<ApsToken> GetTokenAsync(CancellationToken ct)
    {
        if (Fresh(_current) is { } token) return token;
        await _renewal.WaitAsync(ct);
        try
        {
            if (Fresh(_current) is { } renewed) return renewed;
            var fetched = clock.GetUtcNow();
            var fresh = await ApsOAuth.ClientCredentialsAsync(transport, baseUrl, credentials, scopes, ct);
            // Renewed a margin before expiry: Aps:TokenRenewalMargin, or half its life for a token shorter than twice that.
            var margin = TimeSpan.FromTicks(Math.Min(transport.Options.TokenRenewalMargin.Ticks, (fresh.ExpiresAt - fetched).Ticks / 2));
            _renewAt = fresh.ExpiresAt - margin;
            _current = fresh;
            return fresh;
        }
        finally
        {
            _renewal.Release();
        }
    }

    /// <summary>The cloud refused this token (expired early, revoked): the next caller gets a new one.</summary>
    public override void Invalidate(string token)
    {
        var current = _current;
        if (current?.AccessToken == token) Interlocked.CompareExchange(ref _current, null, current);
    }

    private ApsToken? Fresh(ApsToken? token) => token is not null && _renewAt > clock.GetUtcNow() ? token : null;
}

/// <summary>Authentication v2's token endpoint: client credentials, authorization codes, refresh tokens.</summary>
internal static class ApsOAuth
{
    public const string TokenPath = "authentication/v2/token";
    public const string AuthorizePath = "authentication/v2/authorize";

    // A client-credentials grant changes nothing at the cloud, so it is safe to send again.
    public static Task<ApsToken> ClientCredentialsAsync(ApsTransport transport, Uri baseUrl, ApsCredentials credentials, string scopes, CancellationToken ct) =>
        TokenAsync(transport, baseUrl, credentials, "two-legged token", Replay.Safe, ct, ("grant_type", "client_credentials"), ("scope", scopes));

    public static async Task<ApsToken> TokenAsync(ApsTransport transport, Uri baseUrl, ApsCredentials credentials, string operation, Replay replay,
        CancellationToken ct, params (string Key, string Value)[] fields)
    {
        var answer = await transport.JsonAsync<TokenAnswer>(operation, () => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, TokenPath))
        {
            Headers = { Authorization = credentials.Basic, Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
            Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))),
        }, replay, null, ct, oauth: true);
        if (answer.AccessToken is not { Length: > 0 } access || answer.ExpiresIn is not { } expiresIn || expiresIn <= 0)
            throw new ApsCloudException(ApsFailure.ApiError, $"{operation}: the token answer has no access_token or expires_in");
        return new ApsToken(access, transport.Clock.GetUtcNow().AddSeconds(expiresIn), answer.RefreshToken, answer.Scope);
    }
}
