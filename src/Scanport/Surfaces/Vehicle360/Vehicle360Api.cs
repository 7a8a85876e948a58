using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Storage;

namespace Scanport.Surfaces.Vehicle360;

/// <summary>The <c>Surfaces:Vehicle360</c> configuration section.</summary>
public sealed class Vehicle360Options
{
    public const string Section = "Surfaces:Vehicle360";

    [Required] public string BasePath { get; set; } = "/v1";
    /// <summary>The bucket photos and thumbnails are stored in (one of <c>Storage:Buckets</c> with the embedded store).</summary>
    [Required] public string Bucket { get; set; } = "scanport";
    /// <summary>How long a presigned upload URL is valid (the document says 15 minutes).</summary>
    public TimeSpan PresignLifetime { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>How long the download URLs next to <c>thumb_keys</c> are valid.</summary>
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Most events in one <c>POST /events</c> batch.</summary>
    [Range(1, 1000)] public int MaxEventBatch { get; set; } = 100;
    /// <summary>Shared secret an S3 event-notification webhook (MinIO) sends as its bearer token; unset: the webhook is off.</summary>
    public string? StorageWebhookSecret { get; set; }

    // The document's rate-limit table, per minute.
    [Range(1, 1_000_000)] public int DeviceAuthPerMinute { get; set; } = 100;
    [Range(1, 1_000_000)] public int PresignPerMinute { get; set; } = 500;
    [Range(1, 1_000_000)] public int EventsPerMinute { get; set; } = 1000;
    [Range(1, 1_000_000)] public int PerTokenPerMinute { get; set; } = 300;
}

/// <summary>The 360° vehicle imaging surface (<c>vehicle-360-imaging-api.md</c>).</summary>
internal static class Vehicle360Api
{
    public const string DeviceAuthLimit = "v360-device-auth";
    public const string PresignLimit = "v360-presign";
    public const string EventsLimit = "v360-events";
    public const string TokenLimit = "v360-token";

    public static IServiceCollection AddVehicle360Api(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiDocument("vehicle360");
        services.AddOptions<Vehicle360Options>().Bind(configuration.GetSection(Vehicle360Options.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(Vehicle360Options.Section).Get<Vehicle360Options>() ?? new();
        // The images job downloads each photo to a temporary file; a crash leaves it behind.
        services.AddScratchFolder(ImageProcessingJob.TempFolder);
        services.AddRateLimits(p => p
            // Anonymous enrollment: per client address. The limiter runs before the handler reads the body.
            .Add(DeviceAuthLimit, c => $"ip:{ClientAddress(c)}", BucketLimit.PerMinute(options.DeviceAuthPerMinute))
            // "per device": a device's id; a user presigning is counted per token.
            .Add(PresignLimit, c => c.User.FindFirst(ClaimNames.Role)?.Value == Roles.Device ? $"device:{Subject(c)}" : TokenKey(c),
                BucketLimit.PerMinute(options.PresignPerMinute))
            .Add(EventsLimit, c => $"actor:{Subject(c) ?? ClientAddress(c)}", BucketLimit.PerMinute(options.EventsPerMinute))
            .Add(TokenLimit, TokenKey, BucketLimit.PerMinute(options.PerTokenPerMinute)));
        services.AddScoped<UploadCompletion>();
        services.AddScoped<IObjectStoredListener, UploadListener>();
        services.AddJobHandler<ImageProcessingJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapVehicle360Api(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<Vehicle360Options>>().Value;
        var api = app.MapSurface(options.BasePath, Vehicle360ErrorShape.Instance)
            .WithGroupName("vehicle360")
            .WithTags("360 imaging")
            .RequireAuthorization()
            .RequireRateLimiting(TokenLimit)
            .WithBodyLimit(256 * 1024);
        api.MapVehicle360Auth();
        api.MapCaptureSessions();
        api.MapPresign();
        api.MapVehicleImages();
        api.MapAuditEvents();
        api.MapStorageWebhook();
        return app;
    }

    private static string? Subject(HttpContext c) => c.User.FindFirst(ClaimNames.Subject)?.Value;

    private static string ClientAddress(HttpContext c) => RateLimitPolicies.ClientAddress(c);

    /// <summary>One access token: its <c>jti</c>; API keys (no jti) by key id; anonymous callers by address.</summary>
    private static string TokenKey(HttpContext c) =>
        c.User.FindFirst("jti")?.Value is { } jti ? $"token:{jti}"
        : Subject(c) is { } sub ? $"token:{sub}"
        : $"ip:{ClientAddress(c)}";
}

/// <summary><c>limit</c>/<c>offset</c> paging of the document's listings (limit 1–100, default 50).</summary>
internal readonly record struct Vehicle360Paging(int? Limit, int? Offset)
{
    public int Take => Limit ?? 50;
    public int Skip => Offset ?? 0;

    /// <summary>Adds the reasons bad paging is refused to <paramref name="errors"/> (after a listing's own filters'), and returns them.</summary>
    public Dictionary<string, string[]> Validate(Dictionary<string, string[]>? errors = null)
    {
        errors ??= [];
        if (Limit is < 1 or > 100) errors["limit"] = ["must be between 1 and 100"];
        if (Offset is < 0) errors["offset"] = ["must be 0 or more"];
        return errors;
    }

    public IQueryable<T> Apply<T>(IOrderedQueryable<T> ordered) => ordered.Skip(Skip).Take(Take);
}

/// <summary>The document's envelope: <c>{ "error": { "code", "message", "details" }, "request_id" }</c>.</summary>
internal sealed class Vehicle360ErrorShape : IErrorShape
{
    public static readonly Vehicle360ErrorShape Instance = new();

    public Type? BodyTypeOf(int status) => typeof(Vehicle360Error);

    public object Render(ApiError error, ErrorContext context) => new Vehicle360Error(
        new Vehicle360ErrorBody(CodeOf(error), error.Message, error.Details ?? new Dictionary<string, string[]>()),
        context.RequestId);

    /// <summary>Upper-snake codes, <c>VALIDATION_ERROR</c> as the document's example.</summary>
    internal static string CodeOf(ApiError error) => error.Code switch
    {
        "validation_failed" or "bad_request" => "VALIDATION_ERROR",
        "unauthorized" => "UNAUTHORIZED",
        "forbidden" => "FORBIDDEN",
        "not_found" => "NOT_FOUND",
        "rate_limited" => "RATE_LIMITED",
        "internal_error" => "INTERNAL_ERROR",
        { } code => code.ToUpperInvariant(),
        null => error.Status switch
        {
            400 => "VALIDATION_ERROR",
            401 => "UNAUTHORIZED",
            403 => "FORBIDDEN",
            404 => "NOT_FOUND",
            429 => "RATE_LIMITED",
            _ => "ERROR",
        },
    };
}

internal sealed record Vehicle360ErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string[]> Details);

internal sealed record Vehicle360Error(
    [property: JsonPropertyName("error")] Vehicle360ErrorBody Error,
    [property: JsonPropertyName("request_id")] string RequestId);
