using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Scanport.Identity.Oidc;

/// <summary>Who an identity provider says signed in: <c>iss</c>, <c>sub</c>, <c>email</c>, <c>email_verified</c>.</summary>
public sealed record OidcIdentity(string Issuer, string Subject, string? Email, bool EmailVerified);

/// <summary>The outcome of checking an id_token: the identity, or why the token was refused.</summary>
public sealed record OidcValidationResult(OidcIdentity? Identity, string? Error)
{
    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Identity is not null;

    public static OidcValidationResult Success(OidcIdentity identity) => new(identity, null);
    public static OidcValidationResult Failure(string error) => new(null, error);
}

/// <summary>
/// Checks id_tokens from the configured issuers: signature against the issuer's published keys (cached,
/// fetched again when a token names a key not seen yet), issuer, audience and lifetime. A bad token or an
/// unreachable issuer is a failed result, never an exception.
/// </summary>
public sealed class OidcTokenValidator
{
    public const string HttpClientName = "oidc";

    /// <summary>Asymmetric algorithms only: <c>none</c> and HMAC (signed with a public key as the secret) are refused.</summary>
    private static readonly FrozenSet<string> Algorithms = FrozenSet.Create(StringComparer.Ordinal,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512);

    private static readonly JsonWebTokenHandler Handler = new();

    private readonly FrozenDictionary<string, TrustedIssuer> _issuers;
    private readonly TimeSpan _clockSkew;
    private readonly ILogger<OidcTokenValidator> _logger;

    public OidcTokenValidator(IOptions<OidcOptions> options, IHttpClientFactory http, TimeProvider clock, ILogger<OidcTokenValidator> logger)
    {
        var oidc = options.Value;
        // One client for the validator's lifetime: the library's cache holds it. Its handler recycles
        // connections (see AddOidc), so DNS changes at an issuer are still seen.
        var client = http.CreateClient(HttpClientName);
        _issuers = oidc.Issuers.ToFrozenDictionary(i => i.Authority, i => new TrustedIssuer(i, oidc, client, clock), StringComparer.Ordinal);
        _clockSkew = oidc.ClockSkew;
        _logger = logger;
    }

    public async Task<OidcValidationResult> ValidateAsync(string idToken, CancellationToken ct = default)
    {
        var result = await CheckAsync(idToken, ct);
        if (!result.Succeeded) _logger.LogInformation("OIDC id_token refused: {Reason}", result.Error);
        return result;
    }

    private async Task<OidcValidationResult> CheckAsync(string idToken, CancellationToken ct)
    {
        // Read without trusting it, only to choose the issuer: nothing is fetched for an issuer not configured.
        if (Read(idToken) is not { } unverified) return OidcValidationResult.Failure("The id_token is not a JWT with an issuer.");
        if (!_issuers.TryGetValue(unverified.Issuer, out var issuer))
            return OidcValidationResult.Failure("The id_token's issuer is not trusted.");
        if (!Algorithms.Contains(unverified.Alg))
            return OidcValidationResult.Failure("The id_token's signing algorithm is not accepted.");

        var metadata = await MetadataAsync(issuer, ct);
        if (metadata.Error is not null) return OidcValidationResult.Failure(metadata.Error);
        var result = await Handler.ValidateTokenAsync(idToken, Parameters(issuer, metadata.Value!));
        // A key not seen yet: the issuer may have rotated its keys since they were cached.
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await issuer.RefreshAsync(ct))
        {
            metadata = await MetadataAsync(issuer, ct);
            if (metadata.Error is not null) return OidcValidationResult.Failure(metadata.Error);
            result = await Handler.ValidateTokenAsync(idToken, Parameters(issuer, metadata.Value!));
        }
        if (!result.IsValid) return OidcValidationResult.Failure(Reason(result.Exception));

        var token = (JsonWebToken)result.SecurityToken;
        if (string.IsNullOrEmpty(token.Subject)) return OidcValidationResult.Failure("The id_token has no subject.");
        return OidcValidationResult.Success(new OidcIdentity(issuer.Options.Authority, token.Subject,
            token.TryGetPayloadValue<string>("email", out var email) && email.Length > 0 ? email : null,
            EmailVerified(token)));
    }

    private static (string Issuer, string Alg)? Read(string idToken)
    {
        if (!Handler.CanReadToken(idToken)) return null;
        try
        {
            var token = new JsonWebToken(idToken);
            return !token.IsEncrypted && token.TryGetPayloadValue<string>("iss", out var issuer) ? (issuer, token.Alg) : null;
        }
        catch (ArgumentException)
        {
            return null; // SecurityTokenMalformedException is one
        }
    }

    private static async Task<(OpenIdConnectConfiguration? Value, string? Error)> MetadataAsync(TrustedIssuer issuer, CancellationToken ct)
    {
        OpenIdConnectConfiguration metadata;
        try
        {
            metadata = await issuer.MetadataAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The library has logged the cause (connection, status, document); it backs off before trying again.
            return (null, "The issuer's discovery document or keys could not be fetched.");
        }
        if (!string.Equals(metadata.Issuer, issuer.Options.Authority, StringComparison.Ordinal))
            return (null, "The issuer's discovery document names another issuer.");
        return metadata.SigningKeys.Count == 0 ? (null, "The issuer publishes no signing keys.") : (metadata, null);
    }

    private TokenValidationParameters Parameters(TrustedIssuer issuer, OpenIdConnectConfiguration metadata) => new()
    {
        ValidIssuer = issuer.Options.Authority,
        ValidAudience = issuer.Options.Audience,
        IssuerSigningKeys = metadata.SigningKeys,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        // The library checks lifetimes against the system clock.
        ClockSkew = _clockSkew,
    };

    private static bool EmailVerified(JsonWebToken token) =>
        (token.TryGetPayloadValue<bool>("email_verified", out var verified) && verified)
        // Some providers send it as a string.
        || (token.TryGetPayloadValue<string>("email_verified", out var text) && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase));

    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "The id_token has expired.",
        SecurityTokenNotYetValidException => "The id_token is not valid yet.",
        SecurityTokenNoExpirationException => "The id_token has no expiry.",
        SecurityTokenInvalidAudienceException => "The id_token is for another audience.",
        SecurityTokenInvalidIssuerException => "The id_token's issuer is not trusted.",
        SecurityTokenSignatureKeyNotFoundException => "The id_token is signed with a key the issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The id_token's signature is invalid.",
        SecurityTokenInvalidAlgorithmException => "The id_token's signing algorithm is not accepted.",
        SecurityTokenInvalidLifetimeException => "The id_token's lifetime is invalid.",
        _ => "The id_token is invalid.",
    };
}
