namespace Scanport.Projects;

/// <summary>
/// A stored file attached to a project by some surface (a snapshot's LAZ, a reconstruction's point cloud or mesh), as
/// the platform shows it to members: <see cref="Id"/> is unique within the project, <see cref="Key"/> is null until
/// the file is stored.
/// </summary>
public sealed record ProjectFile(
    string Id, string Kind, string Name, string Source, string SourceId, string Status, string? ContentType,
    DateTimeOffset UpdatedAt, string Bucket, string? Key);

/// <summary>The kinds of <see cref="ProjectFile"/>: what a viewer does with it.</summary>
public static class ProjectFileKinds
{
    public const string PointCloud = "point_cloud";
    public const string Mesh = "mesh";
    public const string Video = "video";
}

/// <summary>
/// A module that stores files for projects tells the platform about them here, so members can list them and read
/// them through short-lived URLs (<c>/platform/v1/projects/{id}/files</c>) whichever surface they came through.
/// </summary>
public interface IProjectFileSource
{
    /// <summary>The project's files from this source, newest first.</summary>
    Task<IReadOnlyList<ProjectFile>> ListAsync(Project project, CancellationToken ct);
}
