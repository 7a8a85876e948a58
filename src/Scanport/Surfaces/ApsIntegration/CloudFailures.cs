using Scanport.ApsCloud;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>An APS client failure as the document's error: <c>APS_AUTH_FAILED</c> or <c>APS_API_ERROR</c> (502), or what the cloud said of the input.</summary>
internal static class CloudFailures
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApsCloudException e)
        {
            if (e.Kind == ApsFailure.AuthFailed && Caller.From(context.HttpContext.User) is { } caller)
                context.HttpContext.RequestServices.GetRequiredService<TenantClouds>().Forget(caller.OrgId);
            context.HttpContext.RequestServices.GetRequiredService<ILogger<TenantClouds>>().LogWarning(e, "APS call failed");
            return new ErrorResult(Of(e));
        }
    }

    public static ApiError Of(ApsCloudException e) => e.Kind switch
    {
        ApsFailure.AuthFailed => new(StatusCodes.Status502BadGateway, $"APS refused this server's credentials: {e.Message}", Code: ApsiCodes.ApsAuthFailed),
        ApsFailure.NotFound => ApsiErrors.NotFound($"APS has no such resource: {e.Message}"),
        ApsFailure.Conflict => ApsiErrors.Conflict($"APS: {e.Message}"),
        ApsFailure.BadRequest => new(StatusCodes.Status400BadRequest, $"APS refused the request: {e.Message}", Code: ApsiCodes.ApsApiError),
        _ => new(StatusCodes.Status502BadGateway, $"APS call failed: {e.Message}", Code: ApsiCodes.ApsApiError),
    };
}
