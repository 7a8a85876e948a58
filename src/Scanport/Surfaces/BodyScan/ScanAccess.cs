using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// Who may see and record a scan (<see cref="Permissions"/> applied to scans): admins every scan of their
/// organization; others the scans they started, the scans of projects they may see and of sites they act at.
/// Reviewers read; admins, operators and devices record frames, lock and complete.
/// </summary>
internal static class ScanAccess
{
    public static IQueryable<Scan> Visible(ScanportDb db, Caller caller)
    {
        var scans = db.Set<Scan>().Where(s => s.OrgId == caller.OrgId);
        if (Permissions.Administers(caller)) return scans;
        var projects = db.Projects.VisibleTo(caller).Select(p => p.Id);
        return Permissions.VisibleSites(caller) is { } sites
            ? scans.Where(s => s.CreatedBy == caller.Id || (s.ProjectId != null && projects.Contains(s.ProjectId.Value))
                || (s.SiteId != null && sites.Contains(s.SiteId.Value)))
            : scans.Where(s => s.CreatedBy == caller.Id || (s.ProjectId != null && projects.Contains(s.ProjectId.Value)) || s.SiteId != null);
    }

    /// <summary>Null when the caller may do it; else 404 for a scan it cannot see, 403 for one it may only read.</summary>
    public static async Task<ApiError?> CheckAsync(ScanportDb db, Caller caller, Guid scanId, bool record, CancellationToken ct)
    {
        if (record && !Permissions.MayCapture(caller))
            return await Visible(db, caller).AnyAsync(s => s.Id == scanId, ct) ? BodyScanErrors.ReadOnly : BodyScanErrors.NotFound;
        // Admins see every scan of their organization, which the statements that follow check anyway.
        if (Permissions.Administers(caller)) return null;
        return await Visible(db, caller).AnyAsync(s => s.Id == scanId, ct) ? null : BodyScanErrors.NotFound;
    }
}
