using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Projects;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>The <c>Surfaces:Reconstruction3D</c> configuration section.</summary>
public sealed class Reconstruction3DOptions
{
    public const string Section = "Surfaces:Reconstruction3D";

    [Required] public string BasePath { get; set; } = "/api/v1";
    /// <summary>The WebSocket route; the project id follows it. The document puts it outside the API's base path.</summary>
    [Required] public string WebSocketPath { get; set; } = "/ws/jobs";
    [Required] public string Bucket { get; set; } = "scanport";
    /// <summary>Where in the bucket projects keep their files: <c>{prefix}/{project uuid}/...</c>.</summary>
    [Required] public string Prefix { get; set; } = "reconstruction";

    /// <summary>Whether <c>POST /auth/register</c> creates accounts; when off it answers 403.</summary>
    public bool AllowRegistration { get; set; } = true;
    /// <summary>The organization self-registered users join (its id or name); empty: each gets one of their own, as its admin.</summary>
    public string? RegistrationOrganization { get; set; }
    /// <summary>The role of users registering into <see cref="RegistrationOrganization"/>: never more than an operator's.</summary>
    [AllowedValues(Roles.Operator, Roles.Reviewer)] public string RegistrationRole { get; set; } = Roles.Operator;
    /// <summary>Registrations per client address per hour (a bucket refilled evenly over the hour).</summary>
    [Range(1, 1_000_000)] public int RegistrationsPerHour { get; set; } = 10;
    [Range(8, 128)] public int MinPasswordLength { get; set; } = 8;

    /// <summary>The document's upload limit (500 MB, counted as MiB).</summary>
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>
    /// Resumable uploads (<c>/files/uploads</c>, tus): each PATCH carries whole parts of this size, the last one shorter.
    /// A part goes to the object store as one part of a multipart upload, so S3's floor of 5 MiB holds.
    /// </summary>
    [Range(typeof(long), "5242880", "5368709120", ParseLimitsInInvariantCulture = true)] public long UploadPartSize { get; set; } = 8L * 1024 * 1024;
    /// <summary>How long an unfinished resumable upload is kept (tus's <c>Upload-Expires</c>) before its parts are dropped.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan UploadLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Frames a video may give at most; extraction stops there.</summary>
    [Range(1, 10_000)] public int MaxFrames { get; set; } = 300;
    /// <summary>Frames are scaled down to this long edge (COLMAP's presets read at most 3200 px).</summary>
    [Range(16, 16_384)] public int FrameMaxLongEdge { get; set; } = 1920;

    // The document's rate limits, per caller.
    [Range(1, 1_000_000)] public int RequestsPerSecond { get; set; } = 10;
    [Range(1, 1_000_000)] public int ReconstructionStartsPerSecond { get; set; } = 2;

    /// <summary>How often a WebSocket looks for events written by workers in other processes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>The 3D reconstruction surface (<c>reconstruction-platform-api.md</c>): a FastAPI-style JSON API and its job WebSocket.</summary>
internal static class Reconstruction3DApi
{
    public const string GeneralLimit = "recon-general";
    public const string StartLimit = "recon-start";
    public const string RegistrationLimit = "recon-register";

    public static IServiceCollection AddReconstruction3DApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiDocument("reconstruction");
        services.AddOptions<Reconstruction3DOptions>().Bind(configuration.GetSection(Reconstruction3DOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(Reconstruction3DOptions.Section).Get<Reconstruction3DOptions>() ?? new();
        services.AddRateLimits(p => p
            .AddPerCaller(GeneralLimit, options.RequestsPerSecond, burst: options.RequestsPerSecond)
            .AddPerCaller(StartLimit, options.ReconstructionStartsPerSecond, burst: options.ReconstructionStartsPerSecond)
            .Add(RegistrationLimit, RateLimitPolicies.ClientAddress, BucketLimit.PerHour(options.RegistrationsPerHour)));
        services.AddScoped<ProjectFiles>();
        services.AddScoped<ReconProjects>();
        services.AddScoped<MediaIntake>();
        services.AddSingleton<ReconUploadPruning>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconUploadPruning>());
        services.AddScoped<IProjectDeletionListener, ReconProjectDeletion>();
        services.AddScoped<IProjectFileSource, ReconFileSource>();
        services.AddScoped<IJobObserver, ReconJobStage>();
        services.AddJobHandler<FrameExtractionJob>();
        services.AddJobHandler<ReconstructionJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapReconstruction3DApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<Reconstruction3DOptions>>().Value;
        var api = app.MapSurface(options.BasePath, FastApiErrorShape.Instance)
            .WithGroupName("reconstruction")
            .WithTags("3D reconstruction")
            .RequireAuthorization()
            .RequireRateLimiting(GeneralLimit)
            .WithBodyLimit(1024 * 1024);
        api.MapReconAuth();
        api.MapReconProjects();
        api.MapReconFiles(options);
        api.MapReconResumableUploads(options);
        api.MapReconJobs();
        app.MapJobSocket(options);
        return app;
    }
}

/// <summary>FastAPI's <c>skip</c>/<c>limit</c> paging of the document's listings (limit 1–1000, default 100).</summary>
internal readonly record struct Reconstruction3DPaging(int? Skip, int? Limit)
{
    /// <summary>The reasons keyed as FastAPI locates them; a listing adds its own filters' reasons after these.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Skip is < 0) errors["query.skip"] = ["must be greater than or equal to 0"];
        if (Limit is < 1 or > 1000) errors["query.limit"] = ["must be between 1 and 1000"];
        return errors;
    }

    public IQueryable<T> Apply<T>(IOrderedQueryable<T> ordered) => ordered.Skip(Skip ?? 0).Take(Limit ?? 100);
}

/// <summary>
/// FastAPI's errors, as the document's clients know them: <c>{"detail": "message"}</c>, and request validation as 422
/// with <c>{"detail": [{"loc": [...], "msg": ..., "type": ...}]}</c>.
/// </summary>
internal sealed class FastApiErrorShape : IErrorShape
{
    public static readonly FastApiErrorShape Instance = new();

    public int StatusOf(ApiError error) => error.Code is "validation_failed" ? StatusCodes.Status422UnprocessableEntity : error.Status;

    public Type? BodyTypeOf(int status) => status == StatusCodes.Status422UnprocessableEntity ? typeof(FastApiValidationError) : typeof(FastApiError);

    public object Render(ApiError error, ErrorContext context)
    {
        if (error.Code is not "validation_failed" || error.Details is not { Count: > 0 } details)
            return new FastApiError(error.Status == 500 ? "Internal Server Error" : error.Message);
        var items = details.SelectMany(d => d.Value.Select(reason => new FastApiValidationItem(Location(d.Key), reason, "value_error"))).ToArray();
        return new FastApiValidationError(items);
    }

    /// <summary><c>query.limit</c> → <c>["query", "limit"]</c>; a bare field is the body's.</summary>
    private static string[] Location(string field) =>
        field.IndexOf('.') is > 0 and var dot && field[..dot] is "query" or "path" or "body" or "header"
            ? [field[..dot], field[(dot + 1)..]]
            : field == "body" ? ["body"] : ["body", field];
}

internal sealed record FastApiError([property: JsonPropertyName("detail")] string Detail);

internal sealed record FastApiValidationItem(
    [property: JsonPropertyName("loc")] string[] Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);

internal sealed record FastApiValidationError([property: JsonPropertyName("detail")] FastApiValidationItem[] Detail);
