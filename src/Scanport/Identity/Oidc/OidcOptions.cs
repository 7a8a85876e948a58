using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Scanport.Identity.Oidc;

/// <summary>The <c>Oidc</c> configuration section: the identity providers whose id_tokens sign users in.</summary>
public sealed class OidcOptions
{
    public const string Section = "Oidc";

    /// <summary>Trusted issuers (<c>Oidc__Issuers__0__Authority</c>, <c>Oidc__Issuers__0__Audience</c>). None: OIDC sign-in is off.</summary>
    public List<OidcIssuerOptions> Issuers { get; set; } = [];
    /// <summary>Allowed clock difference when checking <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How often an issuer's discovery document and keys are fetched again, used or not (at least 5 minutes).</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(12);
    /// <summary>The shortest time between two fetches caused by a token signed with an unknown key (a rotation).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Time limit of one request to an issuer.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Match users by an email the provider has not verified (<c>email_verified</c> absent or false).</summary>
    public bool TrustUnverifiedEmail { get; set; }
}

/// <summary>One trusted identity provider.</summary>
public sealed class OidcIssuerOptions
{
    /// <summary>The issuer URL, exactly as the tokens' <c>iss</c>; discovery is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string Authority { get; set; } = "";
    /// <summary>Scanport's client id at this provider: the id_tokens' <c>aud</c>.</summary>
    public string Audience { get; set; } = "";
    /// <summary>Refuse discovery and key documents over plain HTTP (only tests turn this off).</summary>
    public bool RequireHttps { get; set; } = true;

    internal string MetadataAddress => $"{Authority.TrimEnd('/')}/.well-known/openid-configuration";
}

internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            var prefix = $"{OidcOptions.Section}:Issuers:{i}";
            if (!Uri.TryCreate(issuer.Authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                errors.Add($"{prefix}:Authority must be an absolute http(s) URL.");
            else if (issuer.RequireHttps && uri.Scheme != "https")
                errors.Add($"{prefix}:Authority must use https (or set {prefix}:RequireHttps to false).");
            if (string.IsNullOrWhiteSpace(issuer.Audience))
                errors.Add($"{prefix}:Audience must name Scanport's client id at the issuer.");
        }
        if (options.Issuers.GroupBy(i => i.Authority, StringComparer.Ordinal).Any(g => g.Count() > 1))
            errors.Add($"{OidcOptions.Section}:Issuers names an authority twice.");
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(10))
            errors.Add($"{OidcOptions.Section}:ClockSkew must be between 0 and 10 minutes.");
        if (options.MetadataRefreshInterval < ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval)
            errors.Add($"{OidcOptions.Section}:MetadataRefreshInterval must be at least 5 minutes.");
        if (options.KeyRefreshInterval < TimeSpan.FromSeconds(2))
            errors.Add($"{OidcOptions.Section}:KeyRefreshInterval must be at least 2 seconds.");
        if (options.HttpTimeout <= TimeSpan.Zero)
            errors.Add($"{OidcOptions.Section}:HttpTimeout must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
