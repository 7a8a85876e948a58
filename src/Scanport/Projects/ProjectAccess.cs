using Scanport.Identity;

namespace Scanport.Projects;

/// <summary>Which projects a caller may see: its organization's, and of those, for non-admin users, the ones it is a member of.</summary>
public static class ProjectAccess
{
    public static IQueryable<Project> VisibleTo(this IQueryable<Project> projects, Caller caller)
    {
        var inOrg = projects.Where(p => p.OrgId == caller.OrgId);
        return caller.IsAdmin || !caller.IsUser ? inOrg : inOrg.Where(p => p.Members.Any(m => m.UserId == caller.Id));
    }
}
