using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Scanport.Http;
using Scanport.Jobs;
using Scanport.Projects;

namespace Scanport.Surfaces.ScanAce;

/// <summary>The <c>Surfaces:ScanAce</c> configuration section.</summary>
public sealed class ScanAceOptions
{
    public const string Section = "Surfaces:ScanAce";

    [Required] public string BasePath { get; set; } = "/scanace";
    /// <summary>The bucket snapshots are uploaded to (it must be one of <c>Storage:Buckets</c> with the embedded store).</summary>
    [Required] public string Bucket { get; set; } = "sodex-integrations";
    /// <summary>Upload credentials lifetime (the document says 4 hours).</summary>
    public TimeSpan CredentialsLifetime { get; set; } = TimeSpan.FromHours(4);
}

/// <summary>The ScanAce snapshot surface (<c>scanace-integration-api.md</c>).</summary>
internal static class ScanAceApi
{
    public static IServiceCollection AddScanAceApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiDocument("scanace");
        services.AddOptions<ScanAceOptions>().Bind(configuration.GetSection(ScanAceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddJobHandler<SnapshotIngestion>();
        services.AddScoped<IProjectDeletionListener, SnapshotDeletion>();
        services.AddScoped<IProjectFileSource, SnapshotFileSource>();
        return services;
    }

    public static IEndpointRouteBuilder MapScanAceApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScanAceOptions>>().Value;
        var api = app.MapSurface(options.BasePath, ScanAceErrorShape.Instance)
            .WithGroupName("scanace")
            .WithTags("ScanAce")
            .RequireAuthorization()
            .WithBodyLimit(64 * 1024);
        api.MapScanAceProjects();
        api.MapSnapshots();
        return app;
    }
}

/// <summary><c>page</c>/<c>limit</c> paging of the document's GenericResponse (page from 1, limit 1–100, default 10).</summary>
internal sealed record ScanAcePaging(int? Page, int? Limit)
{
    public int P => Page ?? 1;
    public int L => Limit ?? 10;
    public int Skip => (P - 1) * L;

    public ErrorResult? Invalid() =>
        P < 1 ? new ErrorResult(ApiError.Field("page", "page must be a positive integer"))
        : L is < 1 or > 100 ? new ErrorResult(ApiError.Field("limit", "limit must be between 1 and 100"))
        : null;

    public Pagination Of(int total) => new(P, L, total);
}

/// <summary>NestJS's error body, which the service behind the document returns: <c>{statusCode, message, error}</c>.</summary>
internal sealed class ScanAceErrorShape : IErrorShape
{
    public static readonly ScanAceErrorShape Instance = new();

    public Type? BodyTypeOf(int status) => typeof(ScanAceError);

    public object Render(ApiError error, ErrorContext context) => new ScanAceError(
        error.Status,
        error.Details is { Count: > 0 } details ? details.SelectMany(d => d.Value).ToArray() : error.Message,
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(error.Status),
        context.RequestId);
}

internal static class ScanAceResults
{
    public static Ok<GenericResponse<T>> Data<T>(T data, Pagination? pagination = null) => TypedResults.Ok(new GenericResponse<T>(data, pagination));
}
