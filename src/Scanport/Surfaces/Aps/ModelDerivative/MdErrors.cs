using Scanport.Http;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>Model Derivative's refusals, rendered in APS's error shape (<c>developerMessage</c>, <c>errorCode</c>).</summary>
internal static class MdErrors
{
    public static ErrorResult BadInput(string message) => new(new ApiError(StatusCodes.Status400BadRequest, message, Code: "BAD_INPUT"));

    public static ErrorResult NotFound(string message) => new(new ApiError(StatusCodes.Status404NotFound, message, Code: "NOT_FOUND"));

    public static ErrorResult UnknownUrn => NotFound("The URN names no design of your organization, or it has no manifest.");

    public static ErrorResult ReadOnly => new(new ApiError(StatusCodes.Status403Forbidden,
        "Your role may read derivatives but not start or delete translations.", Code: "AUTH-012"));
}
