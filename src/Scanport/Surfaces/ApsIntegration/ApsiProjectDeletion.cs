using Microsoft.EntityFrameworkCore;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Projects;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// A project deleted through any surface takes its APS data with it: each file's translation and object, then its bucket.
/// What the cloud cannot delete now is logged; the rows go either way.
/// </summary>
internal sealed class ApsiProjectDeletion(ScanportDb db, TenantClouds clouds, ILogger<ApsiProjectDeletion> logger) : IProjectDeletionListener
{
    private List<ApsiFile> _files = [];
    private ApsiBucket? _bucket;

    public async Task DeletingAsync(Project project, CancellationToken ct)
    {
        _files = await db.Set<ApsiFile>().AsNoTracking().Where(f => f.ProjectId == project.Id).ToListAsync(ct);
        _bucket = await db.Set<ApsiBucket>().AsNoTracking().FirstOrDefaultAsync(b => b.ProjectId == project.Id, ct);
    }

    public async Task DeletedAsync(Project project, CancellationToken ct)
    {
        if (_bucket is null) return;
        try
        {
            if (_bucket.Created)
            {
                var client = await clouds.ForAsync(project.OrgId, ct);
                foreach (var file in _files) await client.Derivatives.DeleteManifestAsync(file.Urn, ct);
                await DeleteBucketAsync(client, _bucket.BucketKey, ct);
            }
        }
        catch (ApsCloudException e)
        {
            logger.LogWarning(e, "The APS data of deleted project {ProjectId} (bucket {BucketKey}) could not all be deleted", project.Id, _bucket.BucketKey);
        }
        await db.Set<ApsiBucket>().Where(b => b.BucketKey == _bucket.BucketKey).ExecuteDeleteAsync(ct);
    }

    /// <summary>Deletes the bucket with its objects (APS deletes a bucket's objects with it).</summary>
    private static async Task DeleteBucketAsync(ApsCloudClient client, string bucketKey, CancellationToken ct)
    {
        try
        {
            await client.Oss.DeleteBucketAsync(bucketKey, ct);
        }
        catch (ApsCloudException e) when (e.Kind == ApsFailure.NotFound)
        {
            // Gone already.
        }
    }
}
