using Scanport.Http;

namespace Scanport.Surfaces.Platform;

/// <summary>The platform's errors, as typed RFC 9457 problem details.</summary>
internal static class PlatformErrors
{
    /// <summary>Refused where the route is mapped, in the untyped problem the framework's refusals use.</summary>
    public static readonly ApiError NotACreator = ApiError.Forbidden("Only admins and operators create projects");

    public static ErrorResult Invalid(string field, string reason) => Typed(ApiError.Field(field, reason));

    public static ErrorResult Invalid(IReadOnlyDictionary<string, string[]> errors) => Typed(ApiError.Validation(errors));

    public static ErrorResult NotFound(string what) => Typed(ApiError.NotFound($"{what} not found"));

    public static ErrorResult Conflict(string title) => Typed(ApiError.Conflict(title));

    public static ErrorResult Forbidden(string title) => Typed(ApiError.Forbidden(title));

    private static ErrorResult Typed(ApiError error) => new(error with { Typed = true });
}
