using System.Reflection;
using System.Security.Claims;

namespace Scanport.Identity;

public static class CallerKind
{
    public const string User = "user";
    public const string Device = "device";
    public const string ApiKey = "api_key";
}

/// <summary>
/// Who is calling, read from the validated token: the subject, its organization, role and sites. Handlers
/// take it as a parameter; every query they run is scoped by <see cref="OrgId"/>.
/// </summary>
public sealed record Caller(Guid Id, Guid OrgId, string Role, string Kind, IReadOnlyList<Guid> SiteIds)
{
    public bool IsAdmin => Role == Roles.Admin;
    public bool IsUser => Kind == CallerKind.User;

    /// <summary>Only users have an identity a row can name as its creator; keys and devices leave it empty.</summary>
    public Guid? UserId => IsUser ? Id : null;

    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimNames.Subject), out var id)) return null;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimNames.OrgId), out var orgId)) return null;
        var role = principal.FindFirstValue(ClaimNames.Role);
        if (role is null) return null;
        var kind = role == Roles.Device ? CallerKind.Device
            : principal.FindFirstValue(ClaimNames.Kind) == CallerKind.ApiKey ? CallerKind.ApiKey
            : CallerKind.User;
        var sites = principal.FindAll(ClaimNames.SiteIds)
            .Select(c => Guid.TryParse(c.Value, out var s) ? s : Guid.Empty)
            .Where(s => s != Guid.Empty).ToArray();
        return new Caller(id, orgId, role, kind, sites);
    }

    /// <summary>Minimal-API binding: endpoints that take a <see cref="Caller"/> require authentication.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo _) => ValueTask.FromResult(From(context.User));
}
