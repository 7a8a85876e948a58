using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Projects;

namespace Scanport.Surfaces.ScanAce;

/// <summary>A project's snapshots as platform project files: each one's LAS/LAZ, once uploaded.</summary>
internal sealed class SnapshotFileSource(ScanportDb db, IOptions<ScanAceOptions> options) : IProjectFileSource
{
    public async Task<IReadOnlyList<ProjectFile>> ListAsync(Project project, CancellationToken ct)
    {
        var snapshots = await db.Set<Snapshot>().AsNoTracking().Where(s => s.ProjectId == project.Id)
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new { s.Id, s.Name, s.Status, s.LazS3Key, s.Compressed, s.UpdatedAt })
            .ToListAsync(ct);
        return snapshots.Select(s => new ProjectFile(
                s.Id, ProjectFileKinds.PointCloud, s.Name, "scanace", s.Id, s.Status,
                Laszip(s.Compressed, s.LazS3Key) ? "application/vnd.laszip" : "application/vnd.las", s.UpdatedAt, options.Value.Bucket,
                s.Status is SnapshotStatus.Created ? null : s.LazS3Key))
            .ToList();
    }

    /// <summary>Ingestion knows; before it has read the header, the key's extension says.</summary>
    private static bool Laszip(bool? compressed, string? key) =>
        compressed ?? key?.EndsWith(".las", StringComparison.OrdinalIgnoreCase) != true;
}
