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
            context.Response.ContentType = shape.ContentType;
            return context.Request.Method == HttpMethods.Head ? Task.CompletedTask : context.Response.WriteAsync(text);
        }
        return context.Response.WriteAsJsonAsync(body, body.GetType(), options: null, contentType: shape.ContentType);
    }

}

/// <summary>RFC 9457 problem details: the platform API's shape, and the fallback for paths outside any surface.</summary>
public sealed class ProblemDetailsShape : IErrorShape
{
    public static readonly ProblemDetailsShape Instance = new();

    public string ContentType => "application/problem+json; charset=utf-8";

    public object Render(ApiError error, ErrorContext context) => new ValidationProblemDetails(
        error.Details?.ToDictionary(d => d.Key, d => d.Value) ?? [])
    {
        Status = error.Status,
        Title = error.Message,
        Extensions = { ["request_id"] = context.RequestId },
    };
}

internal static class ErrorShapeEndpointExtensions
{
    /// <summary>A surface's route group: its base path, and its error shape for everything under it.</summary>
    public static RouteGroupBuilder MapSurface(this IEndpointRouteBuilder app, string basePath, IErrorShape shape)
    {
        app.ServiceProvider.GetRequiredService<ErrorShapes>().Register(basePath, shape);
        var group = app.MapGroup(basePath);
        group.WithMetadata(shape);
        return group;
    }
}
