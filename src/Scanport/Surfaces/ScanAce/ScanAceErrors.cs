using Scanport.Http;

namespace Scanport.Surfaces.ScanAce;

/// <summary>The ScanAce surface's errors, in the words of the service behind the document.</summary>
internal static class ScanAceErrors
{
    public static readonly ApiError ProjectNotFound = ApiError.NotFound("Project not found");
    public static readonly ApiError SnapshotNotFound = ApiError.NotFound("Snapshot not found");
    public static readonly ApiError ReviewersOnlyRead = ApiError.Forbidden("Reviewers cannot add snapshots or upload");
}
