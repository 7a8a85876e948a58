using Scanport.Http;

namespace Scanport.Surfaces.BodyScan;

/// <summary>The body-scan surface's errors, in the document's words.</summary>
internal static class BodyScanErrors
{
    public static readonly ApiError ReadOnly = ApiError.Forbidden("Reviewers cannot record scans");

    public static readonly ApiError NotFound = new(StatusCodes.Status404NotFound, "Scan not found",
        new Dictionary<string, string[]> { ["scanId"] = ["no scan with this id"] }, "not_found");

    public static ApiError NotActive(string status) => new(StatusCodes.Status409Conflict, $"Scan is {status}: it accepts no more frames",
        new Dictionary<string, string[]> { ["scanId"] = [$"scan is {status}"] }, "scan_not_active");
}
