using Microsoft.AspNetCore.Http.Features;

namespace Scanport.Telemetry;

/// <summary>
/// Adds the surface (the group name of the endpoint that answered: <c>platform</c>, <c>bodyscan</c>, ...) to the request's
/// <c>http.server.request.duration</c> and to its span as <c>scanport.surface</c>, and the request id to the span.
/// It wraps the whole pipeline, so answers the authentication, quota or rate-limit middleware gave count for their
/// surface too; the endpoint is known once routing has run, and the tags are read when the request ends.
/// </summary>
internal sealed class SurfaceTags(RequestDelegate next)
{
    public const string Tag = "scanport.surface";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var surface = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointGroupNameMetadata>()?.EndpointGroupName;
            if (surface is not null) context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(Tag, surface));
            // Only a span someone records: with tracing off ASP.NET Core still makes an activity (for the log scopes).
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity && activity.Source.HasListeners())
            {
                if (surface is not null) activity.SetTag(Tag, surface);
                activity.SetTag("scanport.request.id", context.TraceIdentifier);
            }
        }
    }
}

/// <summary>Puts <see cref="SurfaceTags"/> in front of the whole pipeline, whatever Program.cs adds.</summary>
internal sealed class SurfaceTagsStartup : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<SurfaceTags>();
        next(app);
    };
}
