using System.ComponentModel.DataAnnotations;
using Scanport.Http;

namespace Scanport.Surfaces.BodyScan;

/// <summary>The <c>Surfaces:BodyScan</c> configuration section.</summary>
public sealed class BodyScanOptions
{
    public const string Section = "Surfaces:BodyScan";

    [Required] public string BasePath { get; set; } = "/api/scan";
    /// <summary>Most frames in one batch request.</summary>
    [Range(1, 10_000)] public int MaxBatchSize { get; set; } = 1000;
    /// <summary>Sustained requests per second per caller, and the burst above it.</summary>
    [Range(1, 1_000_000)] public int RequestsPerSecond { get; set; } = 1000;
    [Range(1, 1_000_000)] public int Burst { get; set; } = 2000;
    /// <summary>On PostgreSQL: how many groups of frames a node commits at once (<see cref="FrameGroupCommit"/>).</summary>
    [Range(1, 64)] public int FrameWriters { get; set; } = 2;
}

/// <summary>The body-scan frame-quality surface (<c>body-scan-frame-quality-api.md</c>).</summary>
internal static class BodyScanApi
{
    public const string RateLimit = "bodyscan";

    public static IServiceCollection AddBodyScanApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiDocument("bodyscan");
        services.AddOptions<BodyScanOptions>().Bind(configuration.GetSection(BodyScanOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(BodyScanOptions.Section).Get<BodyScanOptions>() ?? new();
        services.AddRateLimits(p => p.AddPerCaller(RateLimit, options.RequestsPerSecond, options.Burst));
        services.AddScoped<FrameRecorder>();
        services.AddSingleton<FrameGroupCommit>();
        services.AddScoped<ScanStatusReader>();
        services.AddSingleton<FrameMetrics>();
        return services;
    }

    public static IEndpointRouteBuilder MapBodyScanApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<BodyScanOptions>>().Value;
        var api = app.MapSurface(options.BasePath, BodyScanErrorShape.Instance)
            .WithGroupName("bodyscan")
            .WithTags("Body scan")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimit)
            .WithBodyLimit(1024 * 1024);
        api.MapScans();
        api.MapFrames();
        return app;
    }
}

/// <summary><c>{ "error": "...", "details": { "field": ["reason"] } }</c>, as the document's Error Handling section shows.</summary>
internal sealed class BodyScanErrorShape : IErrorShape
{
    public static readonly BodyScanErrorShape Instance = new();

    public Type? BodyTypeOf(int status) => typeof(BodyScanError);

    public object Render(ApiError error, ErrorContext context) =>
        new BodyScanError(error.Message, error.Details ?? new Dictionary<string, string[]>(), context.RequestId);
}
