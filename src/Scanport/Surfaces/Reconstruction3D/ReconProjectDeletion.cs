using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// A project deleted through any surface takes its reconstruction work with it: running jobs see their cancel flag
/// (or their rows gone) within a poll and stop, killing ffmpeg or COLMAP, and store nothing for a project that no
/// longer exists; then the job rows and every stored file of the project are deleted. Its unfinished resumable uploads
/// are dropped first, parts and all (an unfinished multipart upload is no object: deleting the project's files would miss it).
/// </summary>
internal sealed class ReconProjectDeletion(ScanportDb db, ProjectFiles files, IObjectStore store) : IProjectDeletionListener
{
    private List<Guid> _jobIds = [];

    public async Task DeletingAsync(Project project, CancellationToken ct)
    {
        _jobIds = await db.Set<ReconJob>().Where(j => j.ProjectId == project.Id).Select(j => j.JobId).ToListAsync(ct);
        await db.Set<Job>().Where(j => _jobIds.Contains(j.Id) && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.CancelRequested, true), ct);
        foreach (var upload in await db.Set<ReconUpload>().AsNoTracking().Where(u => u.ProjectId == project.Id).ToListAsync(ct))
            await ResumableUploads.DropAsync(upload, db, files, store, ct);
    }

    public async Task DeletedAsync(Project project, CancellationToken ct)
    {
        await db.Set<Job>().Where(j => _jobIds.Contains(j.Id)).ExecuteDeleteAsync(ct);
        await files.DeleteAllAsync(files.Root(project.Id), ct);
    }
}
