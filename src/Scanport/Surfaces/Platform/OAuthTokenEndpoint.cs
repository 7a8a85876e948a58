using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
using Scanport.Data;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

/// <summary>RFC 6749 token endpoint: <c>password</c> for people, <c>client_credentials</c> for API keys.</summary>
internal static class OAuthTokenEndpoint
{
    public static void MapOAuthToken(this RouteGroupBuilder api) =>
        api.MapPost("/oauth/token", Token)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(PlatformApi.TokenLimit)
            .WithName("OAuthToken")
            .WithSummary("Exchange a password or an API key for an access token")
            // Documented, not declared with Accepts(): its content-type matching would answer a JSON body with 415
            // (401 to anonymous callers) before the handler could answer with RFC 6749's invalid_request.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/x-www-form-urlencoded"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "grant_type" },
                                Properties = new[] { "grant_type", "username", "password", "client_id", "client_secret" }
                                    .ToDictionary(name => name, IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.String }),
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<TokenResponse>()
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status401Unauthorized);

    public sealed record Services(ScanportDb Db, TokenIssuer Tokens, PasswordGuard Guard, TimeProvider Clock);

    public static async Task<Results<Ok<TokenResponse>, JsonHttpResult<OAuthError>>> Token(
        HttpContext context, [AsParameters] Services s, CancellationToken ct)
    {
        // RFC 6749 5.1: token responses are never cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!context.Request.HasFormContentType)
            return Error(400, "invalid_request", "Send the parameters form-encoded (application/x-www-form-urlencoded).");
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return Error(400, "invalid_request", "The form body could not be read (too many or too long values).");
        }
        return form["grant_type"].ToString() switch
        {
            "" => Error(400, "invalid_request", "grant_type is required."),
            "password" => await Password(context, form, s, ct),
            "client_credentials" => await ClientCredentials(context, form, s, ct),
            var other => Error(400, "unsupported_grant_type", $"grant_type '{Truncate(other)}' is not supported; use password or client_credentials."),
        };
    }

    private static async Task<Results<Ok<TokenResponse>, JsonHttpResult<OAuthError>>> Password(
        HttpContext context, IFormCollection form, Services s, CancellationToken ct)
    {
        string username = form["username"].ToString(), password = form["password"].ToString();
        if (username.Length == 0 || password.Length == 0)
            return Error(400, "invalid_request", "username and password are required.");
        if (await s.Guard.SignInAsync(s.Db, username, password, context.Connection.RemoteIpAddress, ct) is not { } user)
            return Error(400, "invalid_grant", "Invalid username or password.");
        var token = s.Tokens.ForUser(user);
        return TypedResults.Ok(new TokenResponse(token.AccessToken, "bearer", token.ExpiresIn));
    }

    private static async Task<Results<Ok<TokenResponse>, JsonHttpResult<OAuthError>>> ClientCredentials(
        HttpContext context, IFormCollection form, Services s, CancellationToken ct)
    {
        string clientId = form["client_id"].ToString(), secret = form["client_secret"].ToString();
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var basic)
            && basic.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && basic.Parameter is not null)
        {
            var pair = TryDecode(basic.Parameter)?.Split(':', 2);
            if (pair is not { Length: 2 }) return InvalidClient(context);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        if (clientId.Length == 0 || secret.Length == 0)
            return Error(400, "invalid_request", "client_id and client_secret are required.");
        var key = await ApiKeyStore.AuthenticateClientAsync(s.Db, s.Guard, clientId, secret, context.Connection.RemoteIpAddress, s.Clock.GetUtcNow(), ct);
        if (key is null) return InvalidClient(context);
        var token = s.Tokens.ForApiKey(key.Id, key.OrgId, key.Role);
        return TypedResults.Ok(new TokenResponse(token.AccessToken, "bearer", token.ExpiresIn));
    }

    private static JsonHttpResult<OAuthError> InvalidClient(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"scanport\"";
        return Error(401, "invalid_client", "Client authentication failed.");
    }

    private static JsonHttpResult<OAuthError> Error(int status, string error, string description) =>
        TypedResults.Json(new OAuthError(error, description), statusCode: status);

    private static string? TryDecode(string base64)
    {
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(base64)); }
        catch (FormatException) { return null; }
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] : s;
}
