using Scanport.Data;

namespace Scanport.Projects;

/// <summary>
/// A module that keeps something of a project outside its row (jobs, stored objects): it is told before the row
/// goes, to stop work, and after, to delete what the database's cascade cannot reach.
/// </summary>
public interface IProjectDeletionListener
{
    /// <summary>Before the row is deleted: stop running work (the row still exists).</summary>
    Task DeletingAsync(Project project, CancellationToken ct);

    /// <summary>After the row and its cascade are gone: delete stored files. Runs to the end even if the client left.</summary>
    Task DeletedAsync(Project project, CancellationToken ct);
}

/// <summary>
/// The one way a project is deleted, whichever surface asks: its listeners stop its work, the row goes with what
/// cascades from it (members, snapshots, scans, reconstruction rows), and then its stored files are deleted.
/// </summary>
public sealed class ProjectDeletion(ScanportDb db, IEnumerable<IProjectDeletionListener> listeners)
{
    public async Task DeleteAsync(Project project, CancellationToken ct)
    {
        foreach (var listener in listeners) await listener.DeletingAsync(project, ct);
        db.Projects.Remove(project);
        await db.SaveChangesAsync(ct);
        foreach (var listener in listeners) await listener.DeletedAsync(project, CancellationToken.None);
    }
}
