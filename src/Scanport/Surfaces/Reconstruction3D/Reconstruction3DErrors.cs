using Scanport.Http;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>The surface's errors in words its users can act on.</summary>
internal static class Reconstruction3DErrors
{
    public static ApiError Invalid(string field, string reason) => ApiError.Field(field, reason);
    public static ApiError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message, Code: "bad_request");
    public static ApiError NotFound(string message) => ApiError.NotFound(message);
    public static ApiError ProjectNotFound => ApiError.NotFound("Project not found");
    public static ApiError JobNotFound => ApiError.NotFound("Job not found");
    public static ApiError Conflict(string message) => ApiError.Conflict(message);
    public static ApiError Forbidden(string message) => ApiError.Forbidden(message);
}
