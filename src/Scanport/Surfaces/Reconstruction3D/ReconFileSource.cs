using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Projects;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>A project's reconstruction files as platform project files: its video, point cloud and meshes once stored.</summary>
internal sealed class ReconFileSource(ScanportDb db, ProjectFiles files) : IProjectFileSource
{
    public async Task<IReadOnlyList<ProjectFile>> ListAsync(Project project, CancellationToken ct)
    {
        var recon = await db.Set<ReconProject>().AsNoTracking().FirstOrDefaultAsync(r => r.ProjectId == project.Id, ct);
        if (recon is null) return [];
        var found = new List<ProjectFile>();
        // The file types of this surface's own download route (GET /files/download/{project_id}/{file_type}).
        Add("textured_mesh", ProjectFileKinds.Mesh, "Textured mesh", "model/gltf-binary", recon.TexturedMeshKey);
        Add("mesh", ProjectFileKinds.Mesh, "Mesh", "application/vnd.ply", recon.MeshKey);
        Add("point_cloud", ProjectFileKinds.PointCloud, "Point cloud", "application/vnd.ply", recon.PointCloudKey);
        Add("video", ProjectFileKinds.Video, recon.VideoFileName ?? "Video", null, recon.VideoKey);
        return found;

        void Add(string fileType, string kind, string name, string? contentType, string? key)
        {
            if (key is null) return;
            found.Add(new ProjectFile($"reconstruction-{fileType.Replace('_', '-')}", kind, name, "reconstruction", fileType, "ready",
                contentType, recon.UpdatedAt, files.Bucket, key));
        }
    }
}
