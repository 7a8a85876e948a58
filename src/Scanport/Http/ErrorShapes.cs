using Microsoft.AspNetCore.Mvc;

namespace Scanport.Http;

/// <summary>
/// Which error shape answers a request: the matched endpoint's, else the surface whose base path the
/// request falls under (an unknown route), else RFC 9457 problem details.
/// </summary>
public sealed class ErrorShapes
{
    private readonly List<(PathString Prefix, IErrorShape Shape)> _byPrefix = [];

    public void Register(PathString prefix, IErrorShape shape)
    {
        _byPrefix.Add((prefix, shape));
        // Longest prefix first, so /api/scan wins over /api.
        _byPrefix.Sort((a, b) => b.Prefix.Value!.Length.CompareTo(a.Prefix.Value!.Length));
    }

    public IErrorShape For(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IErrorShape>()
        ?? _byPrefix.FirstOrDefault(p => context.Request.Path.StartsWithSegments(p.Prefix)).Shape
        ?? ProblemDetailsShape.Instance;

    public static Task WriteAsync(HttpContext context, IErrorShape shape, ApiError error)
    {
        context.Response.StatusCode = shape.StatusOf(error);
        if (error.Status == StatusCodes.Status401Unauthorized && !context.Response.Headers.WWWAuthenticate.Any())
            context.Response.Headers.WWWAuthenticate = "Bearer";
        var body = shape.Render(error, ErrorContext.Of(context));
        if (body is string text)
        {
            // A shape that is not JSON (S3's XML) renders its own text.
            context.Response.ContentType = shape.ContentTypeOf(error);
            return context.Request.Method == HttpMethods.Head ? Task.CompletedTask : context.Response.WriteAsync(text);
        }
        return context.Response.WriteAsJsonAsync(body, body.GetType(), options: null, contentType: shape.ContentTypeOf(error));
    }

}

/// <summary>RFC 9457 problem details: the platform API's shape, and the fallback for paths outside any surface.</summary>
public sealed class ProblemDetailsShape : IErrorShape
{
    public static readonly ProblemDetailsShape Instance = new();

    public string ContentType => "application/problem+json; charset=utf-8";

    public string ContentTypeOf(ApiError error) => error.Typed ? "application/problem+json" : ContentType;

    public Type? BodyTypeOf(int status) => status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);

    public object Render(ApiError error, ErrorContext context) => error.Typed ? Typed(error, context) : new ValidationProblemDetails(
        error.Details?.ToDictionary(d => d.Key, d => d.Value) ?? [])
    {
        Status = error.Status,
        Title = error.Message,
        Extensions = { ["request_id"] = context.RequestId },
    };

    /// <summary>
    /// What ASP.NET Core's own problem results write (the type and <c>traceId</c> it adds, <c>errors</c> only on a
    /// validation problem), which the platform's handlers answered with before they spoke <see cref="ApiError"/>.
    /// </summary>
    private static ProblemDetails Typed(ApiError error, ErrorContext context)
    {
        ProblemDetails problem = error.Details is { } details
            ? TypedResults.ValidationProblem(details, title: error.Message).ProblemDetails
            : TypedResults.Problem(statusCode: error.Status, title: error.Message).ProblemDetails;
        problem.Status = error.Status;
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.RequestId;
        problem.Extensions["request_id"] = context.RequestId;
        return problem;
    }
}

internal static class ErrorShapeEndpointExtensions
{
    /// <summary>A surface's route group: its base path, and its error shape for everything under it.</summary>
    public static RouteGroupBuilder MapSurface(this IEndpointRouteBuilder app, string basePath, IErrorShape shape)
    {
        app.ServiceProvider.GetRequiredService<ErrorShapes>().Register(basePath, shape);
        var group = app.MapGroup(basePath);
        group.WithMetadata(shape);
        return group.DescribesErrors(shape);
    }
}
