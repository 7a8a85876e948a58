namespace Scanport.Identity;

/// <summary>What a caller wants to do to a project, or to the work attached to it (files, jobs, snapshots, scans).</summary>
public enum ProjectAction
{
    /// <summary>See it and everything attached to it.</summary>
    Read,
    /// <summary>Add work to it: upload, extract frames, start or cancel jobs, create and commit snapshots, record scans.</summary>
    Contribute,
    /// <summary>Rename it, change its description or settings, archive it.</summary>
    Change,
    /// <summary>Delete it with everything attached.</summary>
    Delete,
    /// <summary>Add or remove members.</summary>
    ManageMembers,
}

/// <summary>
/// The one table of who may do what, asked by every surface (the README's authorization table says the same in
/// words). Organizations are walls: nothing here is asked across them, and another organization's ids are not
/// found. Within an organization a caller is a user, an API key or a device, with a role:
/// <list type="bullet">
/// <item>admins (users and API keys) see and change everything of their organization;</item>
/// <item>other users and API keys, and devices, see the projects they are members of; users act on their
/// <c>site_ids</c>, a device on its enrollment site (every site when it has none), non-admin API keys on no site;</item>
/// <item>operators and devices add work; reviewers read, end sessions and publish; an operator changes or deletes
/// only a project it created.</item>
/// </list>
/// </summary>
public static class Permissions
{
    /// <summary>Admin users and admin API keys administer their organization: users, keys, devices, codes, sites, every project.</summary>
    public static bool Administers(Caller caller) => caller.IsAdmin && caller.Kind != CallerKind.Device;

    /// <summary>Every project of the organization is visible; otherwise only those the caller is a member of.</summary>
    public static bool SeesEveryProject(Caller caller) => Administers(caller);

    /// <summary>Admins and operators, users or API keys, create projects (and become members); reviewers and devices do not.</summary>
    public static bool MayCreateProject(Caller caller) => caller.Kind != CallerKind.Device && caller.Role is Roles.Admin or Roles.Operator;

    /// <summary>Whether a caller who can see a project (see <see cref="SeesEveryProject"/>) may do <paramref name="action"/> to it.</summary>
    public static bool May(Caller caller, ProjectAction action, Guid? projectCreatedBy) => action switch
    {
        ProjectAction.Read => true,
        ProjectAction.Contribute => MayCapture(caller),
        ProjectAction.Change or ProjectAction.Delete =>
            Administers(caller) || (caller.Role == Roles.Operator && caller.Kind != CallerKind.Device && projectCreatedBy == caller.Id),
        ProjectAction.ManageMembers => Administers(caller),
        _ => false,
    };

    /// <summary>Admins, operators and devices capture and upload; reviewers only look.</summary>
    public static bool MayCapture(Caller caller) => caller.Kind == CallerKind.Device || caller.Role is Roles.Admin or Roles.Operator;

    /// <summary>The sites a caller may see, or null for every site of its organization.</summary>
    public static IReadOnlyList<Guid>? VisibleSites(Caller caller) => caller.Kind switch
    {
        CallerKind.Device => caller.SiteIds.Count == 0 ? null : caller.SiteIds,
        _ when Administers(caller) => null,
        CallerKind.User => caller.SiteIds,
        // An API key below admin carries no sites.
        _ => [],
    };

    /// <summary>Whether a caller may see and act at a site (sessions, images, scans of that site).</summary>
    public static bool OnSite(Caller caller, Guid siteId) => VisibleSites(caller) is not { } sites || sites.Contains(siteId);

    /// <summary>The 360° audit trail and publishing: reviewers and admins, users or API keys; never devices.</summary>
    public static bool Reviews(Caller caller) => caller.Kind != CallerKind.Device && caller.Role is Roles.Reviewer or Roles.Admin;

    /// <summary>APS cloud and APS integration: everyone of the organization but devices (users and API keys of any role) reads its buckets, objects, models and viewer tokens.</summary>
    public static bool ReadsApsData(Caller caller) => caller.Kind != CallerKind.Device;

    /// <summary>APS cloud and APS integration: admins and operators, users or API keys, create and delete buckets, upload and delete objects, start and delete translations, create webhooks; reviewers only read.</summary>
    public static bool WritesApsData(Caller caller) => caller.Kind != CallerKind.Device && caller.Role is Roles.Admin or Roles.Operator;

    /// <summary>An APS webhook is its creator's (API key or user), as at APS; admins and reviewers see every one of their organization.</summary>
    public static bool SeesEveryApsHook(Caller caller) => caller.Kind != CallerKind.Device && caller.Role is Roles.Admin or Roles.Reviewer;

    /// <summary>Changing or deleting an APS webhook: admins any of their organization, operators those they created.</summary>
    public static bool MayChangeApsHook(Caller caller, Guid createdBy) =>
        Administers(caller) || (caller.Kind != CallerKind.Device && caller.Role == Roles.Operator && createdBy == caller.Id);
}
