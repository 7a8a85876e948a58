using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.ScanAce;

/// <summary>A deleted project's snapshots take their files with them: their uploads and their committed copies.</summary>
internal sealed class SnapshotDeletion(ScanportDb db, IObjectStore store, IOptions<ScanAceOptions> options) : IProjectDeletionListener
{
    private List<string> _prefixes = [];

    public async Task DeletingAsync(Project project, CancellationToken ct) =>
        _prefixes = (await db.Set<Snapshot>().Where(s => s.ProjectId == project.Id).ToListAsync(ct))
            .SelectMany(s => new[] { SnapshotsEndpoints.Prefix(s), SnapshotsEndpoints.CommittedPrefix(s) }).ToList();

    public async Task DeletedAsync(Project project, CancellationToken ct)
    {
        foreach (var prefix in _prefixes) await store.DeletePrefixAsync(options.Value.Bucket, prefix, ct);
    }
}
