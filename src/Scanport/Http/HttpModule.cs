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
    /// <summary>The OpenAPI documents, one per surface, by name.</summary>
    public static readonly string[] Documents = ["platform", "bodyscan", "scanace", "vehicle360", "reconstruction"];

    public static IServiceCollection AddHttpEdge(this IServiceCollection services)
    {
        services.AddSingleton<ErrorShapes>();
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
        foreach (var name in Documents)
            services.AddOpenApi(name, o => o.ShouldInclude = d => d.GroupName == name);
        return services;
    }

    public static WebApplication UseHttpEdge(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseWebSockets();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapOperationalEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        // A nonce per answer for the page's inline script (see SecurityHeadersMiddleware), and nothing fetched from
        // Scalar's CDN or servers.
        app.MapScalarApiReference("/docs", o => o.AddDocuments(Documents).WithNonce().DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp())
            .AllowAnonymous();
        return app;
    }
}

/// <summary>Per-endpoint limits, set once on a route group.</summary>
internal static class EndpointLimits
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(bytes));

    /// <summary>A token bucket per caller (token subject, else client IP).</summary>
    public static RateLimiterOptions AddPerCallerLimit(this RateLimiterOptions o, string policy, int perSecond, int burst) =>
        o.AddPolicy(policy, context => RateLimitPartition.GetTokenBucketLimiter(
            context.User.FindFirst("sub")?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}
