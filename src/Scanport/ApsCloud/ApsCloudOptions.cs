using System.ComponentModel.DataAnnotations;

namespace Scanport.ApsCloud;

/// <summary>
/// Section <c>Aps</c>: which APS cloud the APS client talks to and as whom. With no <see cref="BaseUrl"/> it is Scanport's
/// own APS-compatible endpoints at this server's origin; set to <c>https://developer.api.autodesk.com</c> with an
/// Autodesk application's id and secret, the same client talks to Autodesk.
/// </summary>
public sealed class ApsCloudOptions
{
    public const string Section = "Aps";
    public const string AutodeskBaseUrl = "https://developer.api.autodesk.com";

    /// <summary>The cloud's origin; null: this server (its <see cref="PublicUrl"/>, else the first address it listens on).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How this server is reached from outside (as its own APS cloud, and by APS's callbacks and redirects); null: its first listening address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The APS application's client id (on Scanport's cloud: an API key's id).</summary>
    public string? ClientId { get; set; }

    /// <summary>The APS application's client secret (on Scanport's cloud: the API key's secret).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The three-legged flow's redirect URI, registered with the application.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>The scopes of the application's two-legged token.</summary>
    public string Scopes { get; set; } = "data:read data:write data:create bucket:create bucket:read bucket:delete viewables:read";

    /// <summary>The scopes asked of a user in the three-legged flow.</summary>
    public string UserScopes { get; set; } = "data:read data:write data:create viewables:read user-profile:read openid";

    /// <summary>Attempts of one request, the first included, before a retryable failure is given up.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off; each further one doubles it (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single back-off, and the longest <c>Retry-After</c> honoured before giving up.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most time one request may take, its retries and waits included.</summary>
    public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one attempt may wait for an answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Upload URLs asked for at a time (APS gives up to 25 per request).</summary>
    [Range(1, 25)]
    public int UploadUrlBatch { get; set; } = 25;

    /// <summary>A token is renewed this long before it expires.</summary>
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(5);

    internal IEnumerable<string> Problems()
    {
        if (BaseUrl is { Length: > 0 } && !IsHttpUrl(BaseUrl)) yield return "Aps:BaseUrl must be an absolute http(s) URL.";
        if (PublicUrl is { Length: > 0 } && !IsHttpUrl(PublicUrl)) yield return "Aps:PublicUrl must be an absolute http(s) URL.";
        if (CallbackUrl is { Length: > 0 } && !IsHttpUrl(CallbackUrl)) yield return "Aps:CallbackUrl must be an absolute http(s) URL.";
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret)) yield return "Aps:ClientId and Aps:ClientSecret go together.";
        if (BaseUrl is { Length: > 0 } && string.IsNullOrEmpty(ClientId))
            yield return "Aps:BaseUrl names another cloud: set Aps:ClientId and Aps:ClientSecret of an application there.";
        if (string.IsNullOrWhiteSpace(Scopes)) yield return "Aps:Scopes may not be empty.";
        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay) yield return "Aps:RetryBaseDelay must be between 0 and Aps:MaxRetryDelay.";
        if (MaxRetryTime <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero) yield return "Aps:MaxRetryTime and Aps:RequestTimeout must be positive.";
        if (TokenRenewalMargin < TimeSpan.Zero) yield return "Aps:TokenRenewalMargin may not be negative.";
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
