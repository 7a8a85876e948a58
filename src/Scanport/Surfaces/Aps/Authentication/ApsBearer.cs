using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using Scanport.Http;
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

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ErrorShapes.WriteAsync(Context, ApsErrorShape.Instance, new ApiError(StatusCodes.Status401Unauthorized,
            "The access token is missing, invalid, expired or revoked."));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorShapes.WriteAsync(Context, ApsErrorShape.Instance, new ApiError(StatusCodes.Status403Forbidden,
            "The access token does not carry the scope this operation needs."));
}

/// <summary>How APS's services (besides the OAuth endpoints, which answer RFC 6749's shape) say no.</summary>
public sealed record ApsError(
    [property: JsonPropertyName("developerMessage")] string DeveloperMessage,
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("moreInfo")] string MoreInfo = "");

/// <summary>APS's error body for Scanport's errors: 401 is APS's <c>AUTH-001</c>, a missing scope <c>AUTH-012</c>.</summary>
public sealed class ApsErrorShape : IErrorShape
{
    public static readonly ApsErrorShape Instance = new();

    public object Render(ApiError error, ErrorContext context) => new ApsError(error.Message, error.Status switch
    {
        StatusCodes.Status401Unauthorized => "AUTH-001",
        StatusCodes.Status403Forbidden => "AUTH-012",
        _ => error.Code ?? "error",
    });

    public Type? BodyTypeOf(int status) => typeof(ApsError);
}
