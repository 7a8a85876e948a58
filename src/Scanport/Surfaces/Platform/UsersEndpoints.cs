using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.Platform;

internal static class UsersEndpoints
{
    public const int MinPasswordLength = 10;

    public static void MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(IdentityModule.AdminPolicy);
        users.MapPost("/", Create).ProducesErrors(409).WithName("CreateUser").WithSummary("Create a user (password optional: identity-provider users have none)");
        users.MapGet("/", List).ProducesErrors(400).WithName("ListUsers").WithSummary("List the organization's users");
        users.MapGet("/{id:guid}", Get).WithName("GetUser").WithSummary("Get a user");
        users.MapPatch("/{id:guid}", Update).ProducesErrors(409).WithName("UpdateUser").WithSummary("Change a user's email, name, role, sites or password");
        users.MapDelete("/{id:guid}", Delete).ProducesErrors(409).WithName("DeleteUser").WithSummary("Delete a user");
    }

    public sealed record Services(ScanportDb Db, IPasswordHasher<User> Hasher, PrincipalStates Principals, TimeProvider Clock);

    public static async Task<Results<Created<UserResponse>, ErrorResult>> Create(
        UserRequest request, Caller caller, [AsParameters] Services s, CancellationToken ct)
    {
        var errors = await Validate(request, caller, s.Db, creating: true, ct);
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        var email = request.Email!.Trim();
        if (await s.Db.Users.AnyAsync(u => u.NormalizedEmail == User.Normalize(email), ct))
            return PlatformErrors.Conflict("A user with this email already exists");
        var now = s.Clock.GetUtcNow();
        var user = new User
        {
            OrgId = caller.OrgId,
            Email = email,
            NormalizedEmail = User.Normalize(email),
            Name = request.Name?.Trim(),
            Role = request.Role!,
            CreatedAt = now,
            UpdatedAt = now,
            Sites = (request.SiteIds ?? []).Distinct().Select(id => new UserSite { SiteId = id }).ToList(),
        };
        if (request.Password is { } password) user.PasswordHash = s.Hasher.HashPassword(user, password);
        s.Db.Users.Add(user);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request took the email between the check above and this insert.
            s.Db.ChangeTracker.Clear();
            if (await s.Db.Users.AnyAsync(u => u.NormalizedEmail == user.NormalizedEmail, ct))
                return PlatformErrors.Conflict("A user with this email already exists");
            throw;
        }
        return TypedResults.Created($"{PlatformApi.BasePath}/users/{user.Id}", ToResponse(user));
    }

    public static async Task<Results<Ok<Page<UserResponse>>, ErrorResult>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var page = await paging.ApplyAsync(db.Users.Where(u => u.OrgId == caller.OrgId).OrderBy(u => u.NormalizedEmail)
            .Select(u => new UserResponse(u.Id, u.OrgId, u.Email, u.Name, u.Role, u.Sites.Select(x => x.SiteId).ToList(),
                u.PasswordHash != null, u.CreatedAt, u.UpdatedAt)), ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<UserResponse>, ErrorResult>> Get(Guid id, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Include(u => u.Sites).FirstOrDefaultAsync(u => u.Id == id && u.OrgId == caller.OrgId, ct);
        return user is null ? PlatformErrors.NotFound("User") : TypedResults.Ok(ToResponse(user));
    }

    public static async Task<Results<Ok<UserResponse>, ErrorResult>> Update(
        Guid id, UserRequest request, Caller caller, [AsParameters] Services s, CancellationToken ct)
    {
        var user = await s.Db.Users.Include(u => u.Sites).FirstOrDefaultAsync(u => u.Id == id && u.OrgId == caller.OrgId, ct);
        if (user is null) return PlatformErrors.NotFound("User");
        var errors = await Validate(request, caller, s.Db, creating: false, ct);
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        if (request.Email is { } email && User.Normalize(email) != user.NormalizedEmail)
        {
            if (await s.Db.Users.AnyAsync(u => u.NormalizedEmail == User.Normalize(email), ct))
                return PlatformErrors.Conflict("A user with this email already exists");
            (user.Email, user.NormalizedEmail) = (email.Trim(), User.Normalize(email));
        }
        if (request.Role is { } role && role != user.Role)
        {
            if (user.Role == Roles.Admin && await IsLastAdmin(s.Db, user, ct))
                return PlatformErrors.Conflict("The organization's last admin cannot be demoted");
            user.Role = role;
        }
        if (request.Name is not null) user.Name = request.Name.Trim();
        if (request.SiteIds is { } siteIds)
            user.Sites = siteIds.Distinct().Select(siteId => new UserSite { UserId = user.Id, SiteId = siteId }).ToList();
        if (request.Password is { } password) user.PasswordHash = s.Hasher.HashPassword(user, password);
        // The user's earlier tokens say what is no longer true (or were got with the old password): they end now.
        if (request is { Password: not null } || s.Db.Entry(user).Property(u => u.Role).IsModified
            || s.Db.Entry(user).Property(u => u.NormalizedEmail).IsModified || request.SiteIds is not null)
            user.SecurityStamp++;
        user.UpdatedAt = s.Clock.GetUtcNow();
        await s.Db.SaveChangesAsync(ct);
        s.Principals.Forget(user.Id);
        return TypedResults.Ok(ToResponse(user));
    }

    public static async Task<Results<NoContent, ErrorResult>> Delete(
        Guid id, Caller caller, ScanportDb db, PrincipalStates principals, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.OrgId == caller.OrgId, ct);
        if (user is null) return PlatformErrors.NotFound("User");
        if (user.Id == caller.Id) return PlatformErrors.Conflict("You cannot delete yourself");
        if (user.Role == Roles.Admin && await IsLastAdmin(db, user, ct))
            return PlatformErrors.Conflict("The organization's last admin cannot be deleted");
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        await ProjectAccess.ForgetMemberAsync(db, user.Id, ct);
        principals.Forget(user.Id);
        return TypedResults.NoContent();
    }

    private static Task<bool> IsLastAdmin(ScanportDb db, User user, CancellationToken ct) =>
        db.Users.AllAsync(u => u.OrgId != user.OrgId || u.Role != Roles.Admin || u.Id == user.Id, ct);

    private static async Task<Dictionary<string, string[]>> Validate(UserRequest r, Caller caller, ScanportDb db, bool creating, CancellationToken ct)
    {
        var errors = ValidateFields(r, creating);
        await ValidateSites(r, caller, db, errors, ct);
        return errors;
    }

    /// <summary>The checks that need no database.</summary>
    public static Dictionary<string, string[]> ValidateFields(UserRequest r, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating ? !AccountRules.IsEmail(r.Email?.Trim()) : r.Email is not null && !AccountRules.IsEmail(r.Email.Trim()))
            errors["email"] = ["must be a valid email address"];
        if (creating ? !Roles.IsAssignable(r.Role) : r.Role is not null && !Roles.IsAssignable(r.Role))
            errors["role"] = [$"must be one of {string.Join(", ", Roles.Assignable)}"];
        if (r.Name is { Length: > 200 }) errors["name"] = ["must be at most 200 characters"];
        if (r.Password is { } p && AccountRules.PasswordProblem(p, MinPasswordLength, email: r.Email?.Trim()) is { } weak) errors["password"] = [weak];
        return errors;
    }

    private static async Task ValidateSites(UserRequest r, Caller caller, ScanportDb db, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (r.SiteIds is { Count: > 0 } siteIds)
        {
            if (siteIds.Count > 1000) errors["site_ids"] = ["at most 1000 sites"];
            else
            {
                var distinct = siteIds.Distinct().ToList();
                var known = await db.Sites.CountAsync(s => s.OrgId == caller.OrgId && distinct.Contains(s.Id), ct);
                if (known != distinct.Count) errors["site_ids"] = ["every id must be a site of your organization"];
            }
        }
    }

    private static UserResponse ToResponse(User u) =>
        new(u.Id, u.OrgId, u.Email, u.Name, u.Role, u.Sites.Select(s => s.SiteId).ToList(), u.PasswordHash is not null, u.CreatedAt, u.UpdatedAt);
}
