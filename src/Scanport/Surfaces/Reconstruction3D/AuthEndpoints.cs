using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// <c>/auth/register</c>, <c>/auth/token</c> (OAuth 2 password form, as FastAPI's <c>OAuth2PasswordRequestForm</c>) and
/// <c>/auth/me</c>, over the platform's own users: a registered account signs in to every surface with its email.
/// </summary>
internal static partial class AuthEndpoints
{
    public static void MapReconAuth(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/register", Register).AllowAnonymous().ProducesErrors(403, 409).RequireRateLimiting(Reconstruction3DApi.RegistrationLimit)
            .WithName("ReconRegister").WithSummary("Register a new user account");
        api.MapPost("/auth/token", Token).AllowAnonymous().ProducesErrors(401).DisableAntiforgery().WithName("ReconToken").WithSummary("Login and get an access token");
        api.MapGet("/auth/me", Me).RequireCaller(CallerRules.IsUser, Reconstruction3DErrors.Forbidden("This endpoint needs a user's token")).WithName("ReconMe").WithSummary("The signed-in user");
    }

    public sealed record Services(ScanportDb Db, IPasswordHasher<User> Hasher, PasswordGuard Guard, TokenIssuer Tokens, TimeProvider Clock,
        IOptions<Reconstruction3DOptions> Options);

    public static async Task<Results<Created<UserModel>, ErrorResult>> Register(RegisterRequest request, [AsParameters] Services s, CancellationToken ct)
    {
        var options = s.Options.Value;
        if (!options.AllowRegistration) return new ErrorResult(Reconstruction3DErrors.Forbidden("Registration is disabled on this server"));
        var errors = new Dictionary<string, string[]>();
        var username = request.Username?.Trim();
        if (string.IsNullOrEmpty(username)) errors["username"] = ["field required"];
        else if (!UsernamePattern().IsMatch(username)) errors["username"] = ["must be 3 to 64 letters, digits, '.', '_' or '-'"];
        var email = request.Email?.Trim();
        if (string.IsNullOrEmpty(email)) errors["email"] = ["field required"];
        else if (!AccountRules.IsEmail(email)) errors["email"] = ["value is not a valid email address"];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["field required"];
        else if (AccountRules.PasswordProblem(request.Password, options.MinPasswordLength, username, email) is { } weak) errors["password"] = [weak];
        if (request.FullName is { Length: > 200 }) errors["full_name"] = ["must be at most 200 characters"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));

        var normalizedName = ReconAccount.Normalize(username!);
        var normalizedEmail = User.Normalize(email!);
        // One answer for both: a separate one for emails would tell anyone which addresses have accounts here.
        if (await s.Db.Set<ReconAccount>().AnyAsync(a => a.NormalizedUsername == normalizedName, ct)
            || await s.Db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, ct))
            return new ErrorResult(AlreadyRegistered);

        var now = s.Clock.GetUtcNow();
        // Unless the operator names one, a stranger gets an organization of their own to administer: nobody else's scans,
        // projects or jobs are then in reach.
        var own = string.IsNullOrWhiteSpace(options.RegistrationOrganization) ? OwnOrganization(username!, now) : null;
        var orgId = own?.Id ?? await NamedOrganizationAsync(s.Db, options.RegistrationOrganization!.Trim(), ct);
        if (orgId is null) return new ErrorResult(Reconstruction3DErrors.Forbidden("Registration is disabled on this server: its organization does not exist"));

        var user = new User
        {
            OrgId = orgId.Value,
            Email = email!,
            NormalizedEmail = normalizedEmail,
            Name = string.IsNullOrWhiteSpace(request.FullName) ? null : request.FullName.Trim(),
            Role = own is null ? options.RegistrationRole : Roles.Admin,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = s.Hasher.HashPassword(user, request.Password!);
        var account = new ReconAccount { UserId = user.Id, Username = username!, NormalizedUsername = normalizedName };
        if (own is not null) s.Db.Add(own);
        s.Db.AddRange(user, account);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same name or email registered by a concurrent request.
            return new ErrorResult(AlreadyRegistered);
        }
        return TypedResults.Created($"auth/me", ToModel(account, user));
    }

    public static async Task<Results<Ok<ReconTokenResponse>, ErrorResult>> Token(HttpContext context, [AsParameters] Services s, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
            return new ErrorResult(ApiError.Validation(new Dictionary<string, string[]>
            {
                ["username"] = ["field required"],
                ["password"] = ["field required"],
            }, "Send username and password form-encoded"));
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return new ErrorResult(Reconstruction3DErrors.Invalid("body", "the form could not be read (too many or too long values)"));
        }
        string username = form["username"].ToString().Trim(), password = form["password"].ToString();
        var missing = new Dictionary<string, string[]>();
        if (username.Length == 0) missing["username"] = ["field required"];
        if (password.Length == 0) missing["password"] = ["field required"];
        if (missing.Count > 0) return new ErrorResult(ApiError.Validation(missing));

        var found = await FindUserAsync(s.Db, username, ct);
        if (await s.Guard.CheckPasswordAsync(s.Db, found, username, password, context.Connection.RemoteIpAddress, ct) is not { } user)
            return new ErrorResult(WrongCredentials);
        var account = await EnsureAccountAsync(s.Db, user, ct);
        if (!account.IsActive) return new ErrorResult(Reconstruction3DErrors.BadRequest("Inactive user"));
        await s.Db.Entry(user).Collection(u => u.Sites).LoadAsync(ct);
        var token = s.Tokens.ForUser(user);
        return TypedResults.Ok(new ReconTokenResponse(token.AccessToken, "bearer"));
    }

    public static async Task<Results<Ok<UserModel>, ErrorResult>> Me(Caller caller, ScanportDb db, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == caller.Id, ct);
        if (user is null) return new ErrorResult(new ApiError(StatusCodes.Status401Unauthorized, "Could not validate credentials", Code: "unauthorized"));
        var account = await EnsureAccountAsync(db, user, ct);
        return TypedResults.Ok(ToModel(account, user));
    }

    /// <summary>
    /// The account of a platform user; made on first use for users created elsewhere (an admin, an OIDC sign-in), named
    /// after their email's local part (with a number when that is taken).
    /// </summary>
    internal static async Task<ReconAccount> EnsureAccountAsync(ScanportDb db, User user, CancellationToken ct)
    {
        var account = await db.Set<ReconAccount>().FirstOrDefaultAsync(a => a.UserId == user.Id, ct);
        if (account is not null) return account;
        var stem = NotUsernameChars().Replace(user.Email.Split('@')[0], "_");
        stem = stem.Length < 3 ? $"user_{stem}" : stem[..Math.Min(stem.Length, 48)];
        for (var attempt = 0; ; attempt++)
        {
            var name = attempt == 0 ? stem : $"{stem}{attempt + 1}";
            if (attempt > 20) name = $"{stem}_{Guid.NewGuid():N}"[..64];
            var normalized = ReconAccount.Normalize(name);
            if (await db.Set<ReconAccount>().AnyAsync(a => a.NormalizedUsername == normalized, ct)) continue;
            account = new ReconAccount { UserId = user.Id, Username = name, NormalizedUsername = normalized };
            db.Add(account);
            try
            {
                await db.SaveChangesAsync(ct);
                return account;
            }
            catch (DbUpdateException)
            {
                db.Entry(account).State = EntityState.Detached;
                if (await db.Set<ReconAccount>().FirstOrDefaultAsync(a => a.UserId == user.Id, ct) is { } made) return made;
            }
        }
    }

    private static async Task<User?> FindUserAsync(ScanportDb db, string username, CancellationToken ct)
    {
        var normalized = ReconAccount.Normalize(username);
        var byName = await db.Set<ReconAccount>().Where(a => a.NormalizedUsername == normalized)
            .Join(db.Users, a => a.UserId, u => u.Id, (_, u) => u).FirstOrDefaultAsync(ct);
        if (byName is not null) return byName;
        var email = User.Normalize(username);
        return await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, ct);
    }

    private static Organization OwnOrganization(string username, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7();
        return new Organization { Id = id, Name = $"{username} {id:N}", CreatedAt = now }; // names are unique; the id makes it so
    }

    /// <summary>The organization <c>RegistrationOrganization</c> names, by id or name.</summary>
    private static async Task<Guid?> NamedOrganizationAsync(ScanportDb db, string wanted, CancellationToken ct) =>
        Guid.TryParse(wanted, out var id)
            ? await db.Organizations.Where(o => o.Id == id).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct)
            : await db.Organizations.Where(o => o.Name == wanted).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);

    private static UserModel ToModel(ReconAccount account, User user) =>
        new(account.Number, account.Username, user.Email, user.Name, account.IsActive, user.CreatedAt);

    private static readonly ApiError WrongCredentials = new(StatusCodes.Status401Unauthorized, "Incorrect username or password", Code: "unauthorized");
    private static readonly ApiError AlreadyRegistered = Reconstruction3DErrors.BadRequest("Username or email already registered");

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex NotUsernameChars();
}
