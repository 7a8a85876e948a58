using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

/// <summary>
/// Tenants. The installation's own (bootstrap) organization creates and lists them; every other admin sees and
/// changes only their own organization.
/// </summary>
internal static class OrganizationsEndpoints
{
    public static void MapOrganizations(this RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/organizations").WithTags("Organizations").RequireAuthorization(IdentityModule.AdminPolicy);
        orgs.MapPost("/", Create).ProducesErrors(409).WithName("CreateOrganization").WithSummary("Create a tenant with its first admin (installation admins only)");
        orgs.MapGet("/", List).ProducesErrors(400).WithName("ListOrganizations").WithSummary("List tenants (installation admins see all, others their own)");
        orgs.MapPatch("/current", UpdateCurrent).ProducesErrors(404).WithName("UpdateOrganization").WithSummary("Change your organization's settings (open_enrollment)");
    }

    public static async Task<Results<Created<OrganizationResponse>, ErrorResult>> Create(
        OrganizationRequest request, Caller caller, ScanportDb db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == caller.OrgId && o.IsSystem, ct))
            return PlatformErrors.Forbidden("Only admins of the installation's organization create organizations");
        var name = request.Name?.Trim();
        var users = new UserRequest(request.AdminEmail, "Administrator", Roles.Admin, null, request.AdminPassword);
        // The user checks name a user's fields; this request calls them admin_email and admin_password.
        var errors = UsersEndpoints.ValidateFields(users, creating: true)
            .ToDictionary(e => e.Key is "email" or "password" ? $"admin_{e.Key}" : e.Key, e => e.Value);
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = ["is required (1 to 200 characters)"];
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        if (await db.Organizations.AnyAsync(o => o.Name == name, ct)) return PlatformErrors.Conflict($"An organization named '{name}' already exists");
        var email = request.AdminEmail!.Trim();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == User.Normalize(email), ct))
            return PlatformErrors.Conflict("A user with this email already exists");
        var now = clock.GetUtcNow();
        var org = new Organization { Name = name!, OpenEnrollment = request.OpenEnrollment ?? false, CreatedAt = now };
        var admin = User.FirstAdmin(org, email, now);
        if (request.AdminPassword is { } password) admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Organizations.Add(org);
        db.Users.Add(admin);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request took the name or the email between the checks above and this insert.
            db.ChangeTracker.Clear();
            if (await db.Organizations.AnyAsync(o => o.Name == name, ct) || await db.Users.AnyAsync(u => u.NormalizedEmail == admin.NormalizedEmail, ct))
                return PlatformErrors.Conflict("An organization with this name, or a user with this email, already exists");
            throw;
        }
        return TypedResults.Created($"{PlatformApi.BasePath}/organizations/{org.Id}",
            new OrganizationResponse(org.Id, org.Name, org.OpenEnrollment, org.CreatedAt, admin.Id));
    }

    public static async Task<Results<Ok<Page<OrganizationResponse>>, ErrorResult>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        var isSystem = await db.Organizations.AnyAsync(o => o.Id == caller.OrgId && o.IsSystem, ct);
        var query = isSystem ? db.Organizations : db.Organizations.Where(o => o.Id == caller.OrgId);
        return TypedResults.Ok(await paging.ApplyAsync(query.OrderBy(o => o.Name)
            .Select(o => new OrganizationResponse(o.Id, o.Name, o.OpenEnrollment, o.CreatedAt, null)), ct));
    }

    public static async Task<Results<Ok<OrganizationResponse>, ErrorResult>> UpdateCurrent(
        OrganizationRequest request, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == caller.OrgId, ct);
        if (org is null) return PlatformErrors.NotFound("Organization");
        if (request.OpenEnrollment is { } open) org.OpenEnrollment = open;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new OrganizationResponse(org.Id, org.Name, org.OpenEnrollment, org.CreatedAt));
    }
}
