namespace Scanport.Http;

/// <summary>
/// A handler's failure outcome. It is rendered when executed, in the error shape of the surface that
/// matched the request, so handlers speak in <see cref="ApiError"/> and never build envelopes.
/// </summary>
public sealed class ErrorResult(ApiError error) : IResult, IStatusCodeHttpResult
{
    public ApiError Error { get; } = error;

    public int? StatusCode => Error.Status;

    public Task ExecuteAsync(HttpContext context) =>
        ErrorShapes.WriteAsync(context, context.RequestServices.GetRequiredService<ErrorShapes>().For(context), Error);

    public static implicit operator ErrorResult(ApiError error) => new(error);
}
