using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Scalar.AspNetCore;

namespace Scanport.Http;

/// <summary>What every surface shares at the HTTP edge: request ids, error shapes, limits, health, docs.</summary>
internal static class HttpModule
{
    public static IServiceCollection AddHttp(this IServiceCollection services)
    {
        services.AddSingleton<ErrorShapes>();
        services.AddSingleton<RequestQuotas>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(RateLimits.Create);
        services.AddHostedService<SharedLimitSweeper>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, ReceiveBlockPoolFactory>();
        // Binding failures become exceptions so ApiErrorMiddleware can name the offending field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            // "0.5" is not a number: wrong types are refused, not coerced.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // A key given twice is refused, not last-one-wins: a proxy or validator that reads the first value and
            // a handler that acts on the last would disagree about what was sent.
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.Converters.Add(new StrictJsonElementConverter());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new UtcDateTimeOffsetConverter());
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>
    /// A surface's OpenAPI document, <c>/openapi/{name}.json</c>, made of the endpoints whose group name is
    /// <paramref name="name"/>, and listed at <c>/docs</c>. Each surface registers its own.
    /// </summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services, string name)
    {
        services.AddOpenApi(name, o => o.ShouldInclude = d => d.GroupName == name);
        services.AddSingleton(new ApiDocument(name));
        return services;
    }

    public static WebApplication UseHttp(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseWebSockets();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<RequestQuotaMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapOperationalEndpoints(this WebApplication app)
    {
        app.MapHealth();
        app.MapOpenApi().AllowAnonymous();
        // A nonce per answer for the page's inline script (see SecurityHeadersMiddleware), and nothing fetched from
        // Scalar's CDN or servers.
        var documents = app.Services.GetServices<ApiDocument>().Select(d => d.Name).ToArray();
        app.MapScalarApiReference("/docs", o => o.AddDocuments(documents).WithNonce().DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp())
            .AllowAnonymous();
        return app;
    }
}

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (every check tagged <c>ready</c> passes).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}

/// <summary>Per-endpoint limits, set once on a route group.</summary>
internal static class EndpointLimits
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(bytes));
}

/// <summary>A surface's OpenAPI document, by the name its endpoints' group carries.</summary>
internal sealed record ApiDocument(string Name);
