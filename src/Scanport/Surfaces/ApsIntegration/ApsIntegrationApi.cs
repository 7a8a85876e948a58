using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Scanport.Http;
using Scanport.Projects;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>The <c>Surfaces:Aps</c> configuration section (the APS integration document; the APS cloud itself is configured under <c>Aps</c>).</summary>
public sealed class ApsIntegrationOptions
{
    public const string Section = "Surfaces:Aps";

    /// <summary>The document's <c>/api/v1</c>, under <c>/aps</c> here: Scanport's own APS cloud answers at the root.</summary>
    [Required] public string BasePath { get; set; } = "/aps/api/v1";

    /// <summary>Whether <c>POST /auth/register</c> creates accounts (each with an organization of its own, as its admin).</summary>
    public bool AllowRegistration { get; set; } = true;
    [Range(8, 128)] public int MinPasswordLength { get; set; } = 8;
    /// <summary>Registrations per client address per hour (a bucket refilled evenly over the hour).</summary>
    [Range(1, 1_000_000)] public int RegistrationsPerHour { get; set; } = 10;

    /// <summary>The largest design file taken (<c>FILE_TOO_LARGE</c> above it).</summary>
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 500L * 1024 * 1024;

    // The document's rate limits.
    [Range(1, 1_000_000)] public int RequestsPerMinutePerUser { get; set; } = 100;
    [Range(1, 1_000_000)] public int RequestsPerMinutePerAddress { get; set; } = 200;

    /// <summary>The secret callbacks to <c>/webhooks/translation-status</c> are signed with; empty: one made and kept by this server.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a callback's own timestamp may be (and how far ahead) before it is refused as stale.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The APS integration document (<c>aps-integration-api.es.md</c>): a FastAPI service's accounts, projects with their own
/// OSS bucket, design files translated by Model Derivative, the viewer's token and configuration, and translation webhooks,
/// all on the APS cloud <c>Aps:BaseUrl</c> names (Scanport's own by default) through the one APS client.
/// </summary>
internal static class ApsIntegrationApi
{
    public static IServiceCollection AddApsIntegrationApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiDocument("aps-integration");
        services.AddOptions<ApsIntegrationOptions>().Bind(configuration.GetSection(ApsIntegrationOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(ApsIntegrationOptions.Section).Get<ApsIntegrationOptions>() ?? new();
        services.AddRateLimits(p => p.Add(AuthEndpoints.RegistrationLimit, RateLimitPolicies.ClientAddress,
            BucketLimit.PerHour(options.RegistrationsPerHour)));
        services.AddSingleton<TenantClouds>();
        services.AddSingleton<UserApsTokens>();
        services.AddSingleton<TranslationHooks>();
        services.AddScoped<DesignFiles>();
        services.AddScoped<IProjectDeletionListener, ApsiProjectDeletion>();
        return services;
    }

    public static IEndpointRouteBuilder MapApsIntegrationApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ApsIntegrationOptions>>().Value;
        app.ServiceProvider.GetRequiredService<RequestQuotas>().Register(options.BasePath, new RequestQuota(
            options.RequestsPerMinutePerUser, options.RequestsPerMinutePerAddress, TimeSpan.FromMinutes(1),
            new ApiError(StatusCodes.Status429TooManyRequests, "Rate limit exceeded: wait for X-RateLimit-Reset", Code: ApsiCodes.RateLimitExceeded)));
        var api = app.MapSurface(options.BasePath, ApsiErrorShape.Instance)
            .WithGroupName("aps-integration")
            .WithTags("APS integration")
            .RequireAuthorization()
            .DisableAntiforgery()
            .WithBodyLimit(1024 * 1024)
            .AddEndpointFilter(CloudFailures.Filter);
        api.MapApsiAuth();
        api.MapApsiAps(options);
        api.MapApsiProjects();
        api.MapApsiFiles(options);
        api.MapApsiViewer();
        api.MapApsiWebhook();
        return app;
    }
}

/// <summary>The document's error codes, and the few it needs but does not name (written in the README).</summary>
internal static class ApsiCodes
{
    public const string InvalidCredentials = "AUTH_INVALID_CREDENTIALS";
    public const string TokenExpired = "AUTH_TOKEN_EXPIRED";
    public const string ApsAuthFailed = "APS_AUTH_FAILED";
    public const string ApsApiError = "APS_API_ERROR";
    public const string FileTooLarge = "FILE_TOO_LARGE";
    public const string FileTypeNotSupported = "FILE_TYPE_NOT_SUPPORTED";
    public const string ProjectNotFound = "PROJECT_NOT_FOUND";
    public const string TranslationFailed = "TRANSLATION_FAILED";
    public const string BucketAlreadyExists = "BUCKET_ALREADY_EXISTS";
    public const string InsufficientPermissions = "INSUFFICIENT_PERMISSIONS";
    // Not named by the document.
    public const string ValidationError = "VALIDATION_ERROR";
    public const string AuthRequired = "AUTH_REQUIRED";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string RateLimitExceeded = "RATE_LIMIT_EXCEEDED";
    public const string BadRequest = "BAD_REQUEST";
    public const string InternalError = "INTERNAL_ERROR";
}

internal static class ApsiErrors
{
    public static ApiError Invalid(string field, string reason) => ApiError.Field(field, reason);
    public static ApiError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message, Code: ApsiCodes.BadRequest);
    public static ApiError ProjectNotFound => new(StatusCodes.Status404NotFound, "Project not found", Code: ApsiCodes.ProjectNotFound);
    public static ApiError NotFound(string message) => new(StatusCodes.Status404NotFound, message, Code: ApsiCodes.NotFound);
    public static ApiError Forbidden(string message) => new(StatusCodes.Status403Forbidden, message, Code: ApsiCodes.InsufficientPermissions);
    public static ApiError Conflict(string message) => new(StatusCodes.Status409Conflict, message, Code: ApsiCodes.Conflict);
    public static ApiError BucketExists(string key) => new(StatusCodes.Status409Conflict, $"Bucket already exists: {key}", Code: ApsiCodes.BucketAlreadyExists);
    public static ApiError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The file is larger than the {limit} bytes allowed", Code: ApsiCodes.FileTooLarge);
    public static ApiError TypeNotSupported(string extension, IEnumerable<string> supported) =>
        new(StatusCodes.Status415UnsupportedMediaType, $"File type '{extension}' is not supported; supported: {string.Join(", ", supported)}",
            Code: ApsiCodes.FileTypeNotSupported);
    public static ApiError Unreadable => Invalid("file", "the multipart body could not be read: it is cut short or malformed");
    public static ApiError TranslationFailed(string message) => new(StatusCodes.Status422UnprocessableEntity, message, Code: ApsiCodes.TranslationFailed);
}

/// <summary>
/// The document's error body: <c>{detail, error_code, timestamp, path}</c>. Request validation is FastAPI's 422, with the
/// failing fields also listed as FastAPI does (<c>errors: [{loc, msg, type}]</c>) beside the one-line <c>detail</c>.
/// </summary>
internal sealed class ApsiErrorShape : IErrorShape
{
    public static readonly ApsiErrorShape Instance = new();

    /// <summary>
    /// FastAPI answers a body it cannot take as the route's JSON (another media type included) with 422, as the document's
    /// login does ("Datos de entrada inválidos"); 415 is the document's for design files of a type not translated.
    /// </summary>
    public int StatusOf(ApiError error) =>
        error.Code is "validation_failed" or "unsupported_media_type" ? StatusCodes.Status422UnprocessableEntity : error.Status;

    public Type? BodyTypeOf(int status) => typeof(ApsiError);

    public object Render(ApiError error, ErrorContext context)
    {
        var code = CodeOf(error);
        var detail = error.TokenExpired ? "The access token has expired: sign in again"
            : error.Status >= 500 && code is ApsiCodes.InternalError ? "Internal Server Error" : error.Message;
        ApsiValidationItem[]? items = null;
        if (error.Code is "validation_failed" && error.Details is { Count: > 0 } details)
        {
            items = [.. details.SelectMany(d => d.Value.Select(reason => new ApsiValidationItem(Location(d.Key), reason, "value_error")))];
            detail = string.Join("; ", items.Select(i => $"{string.Join('.', i.Loc.Skip(1))}: {i.Msg}"));
        }
        return new ApsiError(detail, code, context.Time, context.Path, items);
    }

    /// <summary>The surface's own codes pass; the framework's generic ones become the document's.</summary>
    private static string CodeOf(ApiError error) => error.TokenExpired ? ApsiCodes.TokenExpired : error.Code switch
    {
        { } code when code.Length > 0 && char.IsUpper(code[0]) => code,
        "validation_failed" or "unsupported_media_type" => ApsiCodes.ValidationError,
        "unauthorized" => ApsiCodes.AuthRequired,
        "forbidden" => ApsiCodes.InsufficientPermissions,
        "not_found" => ApsiCodes.NotFound,
        "payload_too_large" => ApsiCodes.FileTooLarge,
        "rate_limited" => ApsiCodes.RateLimitExceeded,
        "conflict" => ApsiCodes.Conflict,
        _ when error.Status >= 500 => ApsiCodes.InternalError,
        _ => ApsiCodes.BadRequest,
    };

    private static string[] Location(string field) =>
        field.IndexOf('.') is > 0 and var dot && field[..dot] is "query" or "path" or "body" or "header" or "form"
            ? [field[..dot], field[(dot + 1)..]]
            : field == "body" ? ["body"] : ["body", field];
}

internal sealed record ApsiError(
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApsiValidationItem[]? Errors);

internal sealed record ApsiValidationItem(
    [property: JsonPropertyName("loc")] string[] Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);

/// <summary>The document's offset paging and its common query parameters: <c>limit</c> (1–100, default 20), <c>offset</c>, <c>sort</c>, <c>order</c>.</summary>
internal readonly record struct ApsiPaging(int Limit, int Offset, string? Sort, bool Descending)
{
    public static ApsiPaging Read(HttpRequest request, IReadOnlyCollection<string> sortable, string defaultSort, Dictionary<string, string[]> errors)
    {
        var query = request.Query;
        var limit = Int(query, "limit", 20, 1, 100, errors);
        var offset = Int(query, "offset", 0, 0, int.MaxValue, errors);
        string? sort = query["sort"].ToString() is { Length: > 0 } s ? s : defaultSort;
        if (!sortable.Contains(sort)) errors["query.sort"] = [$"must be one of {string.Join(", ", sortable)}"];
        var order = query["order"].ToString() is { Length: > 0 } o ? o : "asc";
        if (order is not ("asc" or "desc")) errors["query.order"] = ["must be asc or desc"];
        return new ApsiPaging(limit, offset, sort, order == "desc");
    }

    private static int Int(IQueryCollection query, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (query[name].ToString() is not { Length: > 0 } text) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            errors[$"query.{name}"] = ["value is not a valid integer"];
        else if (value < min || value > max) errors[$"query.{name}"] = [max == int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}"];
        else return value;
        return fallback;
    }

    /// <summary>The <c>search</c> term, trimmed: at most 200 characters, none of them NUL (PostgreSQL's text cannot hold it).</summary>
    public static string Search(HttpRequest request, Dictionary<string, string[]> errors)
    {
        var search = request.Query["search"].ToString().Trim();
        if (search.Length > 200) errors["query.search"] = ["must be at most 200 characters"];
        else if (ApsiText.HasNul(search)) errors["query.search"] = ["must not contain NUL characters"];
        return search;
    }

    /// <summary><c>filter[field]</c>, or the bare <c>field</c> the document also shows (<c>/files?status=ready</c>).</summary>
    public static string? Filter(HttpRequest request, string field) =>
        request.Query[$"filter[{field}]"].ToString() is { Length: > 0 } filtered ? filtered
        : request.Query[field].ToString() is { Length: > 0 } bare ? bare : null;
}

/// <summary>Text checks the databases need: PostgreSQL's text cannot hold NUL, which would otherwise be a 500 there (SQLite keeps it).</summary>
internal static class ApsiText
{
    public static bool HasNul(string? text) => text is not null && text.Contains('\0');
}

/// <summary>The document's page: <c>items, total, limit, offset, has_more</c>.</summary>
internal sealed record ApsiPage<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("has_more")] bool HasMore);
