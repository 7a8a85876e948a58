using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Identity;

namespace Scanport.Projects;

/// <summary>Which projects a caller may see, and may act on: <see cref="Permissions"/> applied to project rows.</summary>
public static class ProjectAccess
{
    /// <summary>The caller's organization's projects: all of them for admins, else those it is a member of.</summary>
    public static IQueryable<Project> VisibleTo(this IQueryable<Project> projects, Caller caller)
    {
        var inOrg = projects.Where(p => p.OrgId == caller.OrgId);
        return Permissions.SeesEveryProject(caller) ? inOrg : inOrg.Where(p => p.Members.Any(m => m.PrincipalId == caller.Id));
    }

    /// <summary>Whether the caller, who can see <paramref name="project"/>, may do <paramref name="action"/> to it.</summary>
    public static bool Allows(this Caller caller, ProjectAction action, Project project) =>
        Permissions.May(caller, action, project.CreatedBy);

    /// <summary>Every principal of the organization a project may name as a member: users, API keys and devices.</summary>
    public static async Task<bool> ArePrincipalsOfAsync(ScanportDb db, Guid orgId, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var found = await db.Users.Where(u => u.OrgId == orgId && ids.Contains(u.Id)).Select(u => u.Id)
            .Concat(db.ApiKeys.Where(k => k.OrgId == orgId && ids.Contains(k.Id)).Select(k => k.Id))
            .Concat(db.Devices.Where(d => d.OrgId == orgId && ids.Contains(d.Id)).Select(d => d.Id))
            .CountAsync(ct);
        return found == ids.Count;
    }

    /// <summary>A deleted principal's memberships go with it (there is no foreign key to do it).</summary>
    public static Task ForgetMemberAsync(ScanportDb db, Guid principalId, CancellationToken ct) =>
        db.ProjectMembers.Where(m => m.PrincipalId == principalId).ExecuteDeleteAsync(ct);
}
