using Scanport.Http;

namespace Scanport.Surfaces.Vehicle360;

/// <summary>The errors the surface's handlers return, in its words.</summary>
internal static class Vehicle360Errors
{
    public static ApiError Forbidden(string message) => ApiError.Forbidden(message);
    public static ApiError NotFound(string what) => ApiError.NotFound($"{what} not found");
    public static ApiError Conflict(string message) => ApiError.Conflict(message);
    public static ApiError UsersOnly => Forbidden("This endpoint needs a user token, not a device token");
}
