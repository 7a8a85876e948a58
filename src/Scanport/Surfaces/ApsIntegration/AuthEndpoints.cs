using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// Accounts (the platform's users: an email signs in on every surface) and the user's APS authorization: the v2 authorize
/// URL with <c>state</c> and PKCE, the code exchanged for tokens kept encrypted, and those tokens refreshed when they expire.
/// </summary>
internal static class AuthEndpoints
{
    public const string RegistrationLimit = "apsi-register";

    public static void MapApsiAuth(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/register", Register).AllowAnonymous().RequireRateLimiting(RegistrationLimit).ProducesErrors(403, 409, 422)
            .WithName("ApsiRegister").WithSummary("Register a user (an organization of their own, as its admin)");
        api.MapPost("/auth/login", Login).AllowAnonymous().ProducesErrors(401, 422)
            .WithName("ApsiLogin").WithSummary("Sign in with username (the email) and password, as a form or JSON");
        // The cloud failing (down, or refusing this server's own credentials) is the document's 502 (the surface's CloudFailures filter).
        var aps = api.MapGroup("/auth/aps");
        aps.MapGet("/auth-url", AuthUrl).RequireCaller(CallerRules.IsUser, Refused).ProducesErrors(403, 502)
            .WithName("ApsiAuthUrl").WithSummary("The APS authorize URL (Authentication v2, state and PKCE) for the signed-in user");
        aps.MapPost("/callback", Callback).RequireCaller(CallerRules.IsUser, Refused).ProducesErrors(400, 422, 502)
            .WithName("ApsiCallback").WithSummary("Exchange the code APS sent back for the user's APS tokens");
        aps.MapGet("/callback", Redirected).AllowAnonymous().ProducesErrors(400, 502)
            .WithName("ApsiCallbackRedirect").WithSummary("Where APS's sign-in sends the browser back: the code is exchanged by its state");
        aps.MapGet("/profile", Profile).RequireCaller(CallerRules.IsUser, Refused).ProducesErrors(404, 502)
            .WithName("ApsiApsProfile").WithSummary("The user's APS authorization and profile, its tokens refreshed when they expire");
    }

    private static readonly ApiError Refused = ApsiErrors.Forbidden("Only users authorize APS: API keys and devices have no APS account");
    private static readonly TimeSpan AuthorizationLifetime = TimeSpan.FromMinutes(10);

    public sealed record Accounts(ScanportDb Db, IPasswordHasher<User> Hasher, PasswordGuard Guard, TokenIssuer Tokens, TimeProvider Clock,
        IOptions<ApsIntegrationOptions> Options);

    public static async Task<Results<Created<UserModel>, ErrorResult>> Register(RegisterRequest request, [AsParameters] Accounts s, CancellationToken ct)
    {
        var options = s.Options.Value;
        if (!options.AllowRegistration) return new ErrorResult(ApsiErrors.Forbidden("Registration is disabled on this server"));
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim();
        if (string.IsNullOrEmpty(email)) errors["email"] = ["field required"];
        else if (!AccountRules.IsEmail(email)) errors["email"] = ["value is not a valid email address"];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["field required"];
        else if (AccountRules.PasswordProblem(request.Password, options.MinPasswordLength, null, email) is { } weak) errors["password"] = [weak];
        if (request.FullName is { Length: > 200 }) errors["full_name"] = ["must be at most 200 characters"];
        else if (ApsiText.HasNul(request.FullName)) errors["full_name"] = ["must not contain NUL characters"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var normalized = User.Normalize(email!);
        if (await s.Db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct)) return new ErrorResult(AlreadyRegistered);
        var now = s.Clock.GetUtcNow();
        var orgId = Guid.CreateVersion7();
        var org = new Organization { Id = orgId, Name = $"{email} {orgId:N}", CreatedAt = now };
        var user = new User
        {
            OrgId = org.Id,
            Email = email!,
            NormalizedEmail = normalized,
            Name = string.IsNullOrWhiteSpace(request.FullName) ? null : request.FullName.Trim(),
            Role = Roles.Admin,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = s.Hasher.HashPassword(user, request.Password!);
        var account = new ApsiAccount { UserId = user.Id };
        s.Db.AddRange(org, user, account);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new ErrorResult(AlreadyRegistered); // the same email registered by a concurrent request
        }
        return TypedResults.Created("auth/login", new UserModel(account.Number, user.Email, true, user.Name));
    }

    /// <summary>FastAPI's <c>OAuth2PasswordRequestForm</c> as the document shows it (a form), or the JSON body it also lists.</summary>
    public static async Task<Results<Ok<TokenModel>, ErrorResult>> Login(HttpContext context, [AsParameters] Accounts s, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        string? username, password;
        if (context.Request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await context.Request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                return new ErrorResult(ApsiErrors.Invalid("body", "the form could not be read"));
            }
            (username, password) = (form["username"].ToString(), form["password"].ToString());
        }
        else if (context.Request.HasJsonContentType())
        {
            try
            {
                var body = await context.Request.ReadFromJsonAsync<JsonElement>(ct);
                if (body.ValueKind != JsonValueKind.Object) return new ErrorResult(ApsiErrors.Invalid("body", "must be a JSON object"));
                username = Text(body, "username", out var badName);
                password = Text(body, "password", out var badPassword);
                var wrongTypes = new Dictionary<string, string[]>();
                if (badName) wrongTypes["username"] = ["str type expected"];
                if (badPassword) wrongTypes["password"] = ["str type expected"];
                if (wrongTypes.Count > 0) return new ErrorResult(ApiError.Validation(wrongTypes));
            }
            catch (JsonException)
            {
                return new ErrorResult(ApsiErrors.Invalid("body", "is not valid JSON"));
            }
        }
        else
        {
            return new ErrorResult(ApiError.Validation(new Dictionary<string, string[]> { ["username"] = ["field required"], ["password"] = ["field required"] },
                "Send username and password form-encoded or as JSON"));
        }
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(username)) missing["username"] = ["field required"];
        if (string.IsNullOrEmpty(password)) missing["password"] = ["field required"];
        if (missing.Count > 0) return new ErrorResult(ApiError.Validation(missing));

        // No account's email holds NUL (and PostgreSQL's text cannot be asked for one).
        if (ApsiText.HasNul(username) || await s.Guard.SignInAsync(s.Db, username!.Trim(), password!, context.Connection.RemoteIpAddress, ct) is not { } user)
            return new ErrorResult(new ApiError(StatusCodes.Status401Unauthorized, "Incorrect username or password", Code: ApsiCodes.InvalidCredentials));
        return TypedResults.Ok(new TokenModel(s.Tokens.ForUser(user).AccessToken, "bearer"));
    }

    public static async Task<Results<Ok<AuthUrlModel>, ErrorResult>> AuthUrl(Caller caller, ScanportDb db, TenantClouds clouds, UserApsTokens tokens,
        IOptions<ApsIntegrationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var client = await clouds.ForAsync(caller.OrgId, ct);
        var redirect = clouds.RedirectUri(options.Value.BasePath);
        var authorization = client.AuthorizeUrl(redirect);
        var now = clock.GetUtcNow();
        // The user's earlier, unfinished authorizations and everyone's expired ones go.
        await db.Set<ApsiAuthorization>().Where(a => a.UserId == caller.Id || a.ExpiresAt < now).ExecuteDeleteAsync(ct);
        db.Add(new ApsiAuthorization
        {
            State = authorization.State,
            UserId = caller.Id,
            ProtectedVerifier = tokens.Protect(authorization.CodeVerifier),
            RedirectUri = redirect,
            ExpiresAt = now + AuthorizationLifetime,
        });
        await db.SaveChangesAsync(ct);
        var scopes = System.Web.HttpUtility.ParseQueryString(authorization.Url.Query)["scope"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return TypedResults.Ok(new AuthUrlModel(authorization.Url.ToString(), client.Credentials.ClientId, scopes));
    }

    public static async Task<Results<Ok<CallbackModel>, ErrorResult>> Callback(CallbackRequest request, Caller caller, ScanportDb db, TenantClouds clouds,
        UserApsTokens tokens, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Code)) errors["code"] = ["field required"];
        else if (request.Code.Length > 4096) errors["code"] = ["must be at most 4096 characters"];
        if (request.State is { Length: > 100 }) errors["state"] = ["must be at most 100 characters"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        var now = clock.GetUtcNow();
        var pending = db.Set<ApsiAuthorization>().Where(a => a.UserId == caller.Id && a.ExpiresAt > now);
        var authorization = request.State is { Length: > 0 } state
            ? await pending.FirstOrDefaultAsync(a => a.State == state, ct)
            : await pending.OrderByDescending(a => a.ExpiresAt).FirstOrDefaultAsync(ct);
        if (authorization is null) return new ErrorResult(NoAuthorization);
        return await ExchangeAsync(authorization, request.Code!.Trim(), caller.OrgId, db, clouds, tokens, ct);
    }

    /// <summary>APS's redirect: the browser arrives with <c>code</c> and <c>state</c> (or <c>error</c>), and no bearer; the state says whose it is.</summary>
    public static async Task<Results<Ok<CallbackModel>, ErrorResult>> Redirected(HttpContext context, ScanportDb db, TenantClouds clouds,
        UserApsTokens tokens, TimeProvider clock, CancellationToken ct)
    {
        var query = context.Request.Query;
        string state = query["state"].ToString(), code = query["code"].ToString();
        if (state.Length is 0 or > 100) return new ErrorResult(ApsiErrors.Invalid("query.state", "field required"));
        var now = clock.GetUtcNow();
        var authorization = await db.Set<ApsiAuthorization>().FirstOrDefaultAsync(a => a.State == state && a.ExpiresAt > now, ct);
        if (authorization is null) return new ErrorResult(NoAuthorization);
        if (query["error"].ToString() is { Length: > 0 } refusal)
        {
            db.Remove(authorization);
            await db.SaveChangesAsync(ct);
            return new ErrorResult(new ApiError(StatusCodes.Status400BadRequest, $"APS authorization was not given: {refusal}", Code: ApsiCodes.ApsAuthFailed));
        }
        if (code.Length is 0 or > 4096) return new ErrorResult(ApsiErrors.Invalid("query.code", "field required"));
        var orgId = await db.Users.Where(u => u.Id == authorization.UserId).Select(u => u.OrgId).FirstAsync(ct);
        return await ExchangeAsync(authorization, code, orgId, db, clouds, tokens, ct);
    }

    private static async Task<Results<Ok<CallbackModel>, ErrorResult>> ExchangeAsync(ApsiAuthorization authorization, string code, Guid orgId, ScanportDb db,
        TenantClouds clouds, UserApsTokens tokens, CancellationToken ct)
    {
        // One use: a code or state sent twice is refused the second time.
        db.Remove(authorization);
        await db.SaveChangesAsync(ct);
        var client = await clouds.ForAsync(orgId, ct);
        ApsToken token;
        try
        {
            token = await client.ExchangeCodeAsync(code, tokens.Unprotect(authorization.ProtectedVerifier), authorization.RedirectUri, ct);
        }
        // The code refused is the user's 400; this server's own credentials refused (invalid_client) is CloudFailures' 502.
        catch (ApsCloudException e) when (e.Kind is ApsFailure.AuthFailed or ApsFailure.BadRequest && e.ErrorCode != "invalid_client")
        {
            return new ErrorResult(new ApiError(StatusCodes.Status400BadRequest, $"APS refused the authorization code: {e.Message}", Code: ApsiCodes.ApsAuthFailed));
        }
        await tokens.StoreAsync(db, authorization.UserId, token, ct);
        return TypedResults.Ok(new CallbackModel("Autorización de APS procesada correctamente", code.Length > 6 ? code[..6] + "..." : code));
    }

    public static async Task<Results<Ok<ApsProfileModel>, ErrorResult>> Profile(Caller caller, TenantClouds clouds, UserApsTokens tokens, CancellationToken ct)
    {
        var client = await clouds.ForAsync(caller.OrgId, ct);
        if (await tokens.GetAsync(caller.Id, client, ct) is not { } token)
            return new ErrorResult(ApsiErrors.NotFound("This user has not authorized APS: open the URL of GET /auth/aps/auth-url"));
        var profile = await client.UserInfoAsync(token.AccessToken, ct);
        return TypedResults.Ok(new ApsProfileModel(true, token.Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [], token.ExpiresAt, profile));
    }

    private static string? Text(JsonElement body, string name, out bool wrongType)
    {
        wrongType = false;
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        wrongType = true;
        return null;
    }

    private static readonly ApiError AlreadyRegistered = ApsiErrors.Conflict("Email already registered");
    private static readonly ApiError NoAuthorization = new(StatusCodes.Status400BadRequest,
        "No APS authorization of this user is under way (or it expired): ask GET /auth/aps/auth-url again", Code: ApsiCodes.ApsAuthFailed);
}

internal sealed record RegisterRequest(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("full_name")] string? FullName);

internal sealed record UserModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("is_active")] bool IsActive,
    [property: JsonPropertyName("full_name")] string? FullName);

internal sealed record TokenModel([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("token_type")] string TokenType);

internal sealed record AuthUrlModel(
    [property: JsonPropertyName("auth_url")] string AuthUrl,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("scopes")] string[] Scopes);

internal sealed record CallbackRequest([property: JsonPropertyName("code")] string? Code, [property: JsonPropertyName("state")] string? State);

internal sealed record CallbackModel([property: JsonPropertyName("message")] string Message, [property: JsonPropertyName("code")] string Code);

internal sealed record ApsProfileModel(
    [property: JsonPropertyName("authorized")] bool Authorized,
    [property: JsonPropertyName("scopes")] string[] Scopes,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("profile")] JsonElement Profile);
