using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// The <c>Aps</c> scheme: an access token issued by the APS cloud's OAuth server, validated by OpenIddict (signature,
/// lifetime, and its entry in the database, so a revoked token stops at once), read as the same <see cref="Caller"/> the
/// platform's tokens give, and refused like them once its principal is gone or changed (<see cref="PrincipalStates"/>).
/// Refusals are APS's: a JSON body with <c>developerMessage</c> and <c>errorCode</c>.
/// </summary>
internal sealed class ApsBearer(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PrincipalStates states)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Aps";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (result.None) return AuthenticateResult.NoResult();
        if (!result.Succeeded) return AuthenticateResult.Fail(result.Failure ?? new InvalidOperationException("invalid token"));
        var principal = result.Principal!;
        var stamp = int.TryParse(principal.FindFirst(ClaimNames.Stamp)?.Value, out var s) ? s : 0;
        if (Caller.From(principal) is not { } caller || !await states.IsCurrentAsync(caller, stamp, Context.RequestServices, Context.RequestAborted))
            return AuthenticateResult.Fail("The token's principal was deleted, changed or revoked");
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Refuse(StatusCodes.Status401Unauthorized, "AUTH-001", "The access token is missing, invalid, expired or revoked.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Refuse(StatusCodes.Status403Forbidden, "AUTH-012", "The access token does not carry the scope this operation needs.");

    private Task Refuse(int status, string code, string message)
    {
        Response.StatusCode = status;
        return Response.WriteAsJsonAsync(new ApsError(message, code));
    }
}

/// <summary>How APS's services (besides the OAuth endpoints, which answer RFC 6749's shape) say no.</summary>
public sealed record ApsError(
    [property: System.Text.Json.Serialization.JsonPropertyName("developerMessage")] string DeveloperMessage,
    [property: System.Text.Json.Serialization.JsonPropertyName("errorCode")] string ErrorCode,
    [property: System.Text.Json.Serialization.JsonPropertyName("moreInfo")] string MoreInfo = "");
