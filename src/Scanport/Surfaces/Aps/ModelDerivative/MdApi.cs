using Scanport.Http;
using Scanport.Jobs;
using Scanport.Surfaces.Aps.Authentication;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// APS's Model Derivative v2 at <c>/modelderivative/v2/designdata</c>: translation jobs on the caller's OSS objects,
/// translated offline (<see cref="TranslationJob"/>), their manifests, metadata, thumbnails and derivatives.
/// </summary>
internal static class MdApi
{
    private const string Root = "/modelderivative/v2/designdata";
    private static readonly string[] Read = ["data:read"];
    private static readonly string[] View = ["data:read", "viewables:read"];

    public static IServiceCollection AddApsModelDerivative(this IServiceCollection services)
    {
        services.AddScoped<DerivativeFiles>();
        services.AddJobHandler<TranslationJob>();
        return services;
    }

    public static WebApplication MapApsModelDerivative(this WebApplication app)
    {
        app.Services.GetRequiredService<ErrorShapes>().Register("/modelderivative", ApsErrorShape.Instance);
        var md = app.MapGroup(Root).WithTags("APS Model Derivative").WithGroupName("aps-model-derivative").DisableAntiforgery().WithMetadata(ApsErrorShape.Instance);
        md.MapPost("/job", JobEndpoint.StartJob).RequireApsScope("data:write", "data:create")
            .WithName("ApsStartJob").WithSummary("Start a translation job");
        md.MapGet("/formats", ManifestEndpoints.GetFormats).RequireApsScope(ApsScopes.All)
            .WithName("ApsGetFormats").WithSummary("The formats Scanport translates");
        md.MapGet("/{urn}/manifest", ManifestEndpoints.GetManifest).RequireApsScope(View)
            .WithName("ApsGetManifest").WithSummary("A design's manifest");
        md.MapDelete("/{urn}/manifest", ManifestEndpoints.DeleteManifest).RequireApsScope("data:write")
            .WithName("ApsDeleteManifest").WithSummary("Delete a design's manifest and derivatives");
        md.MapMethods("/{urn}/manifest/{derivativeUrn}", [HttpMethods.Get, HttpMethods.Head], ManifestEndpoints.GetDerivative).RequireApsScope(View)
            .WithName("ApsGetDerivative").WithSummary("Download a derivative (Range) or check its size (HEAD)");
        md.MapGet("/{urn}/manifest/{derivativeUrn}/signedcookies", DerivativeLinks.GetSignedCookies).RequireApsScope(View)
            .WithName("ApsGetDerivativeUrl").WithSummary("A signed download URL of a derivative (APS's signed cookies)");
        md.MapMethods("/signeddownload", [HttpMethods.Get, HttpMethods.Head], DerivativeLinks.Download).AllowAnonymous()
            .WithName("ApsSignedDownload").WithSummary("A derivative by its signed URL (Range allowed)");
        md.MapGet("/{urn}/thumbnail", ManifestEndpoints.GetThumbnail).RequireApsScope(View)
            .WithName("ApsGetThumbnail").WithSummary("A design's PNG thumbnail");
        md.MapGet("/{urn}/metadata", MetadataEndpoints.GetViews).RequireApsScope(Read)
            .WithName("ApsGetModelViews").WithSummary("A design's model views");
        md.MapGet("/{urn}/metadata/{modelGuid}", MetadataEndpoints.GetObjectTree).RequireApsScope(Read)
            .WithName("ApsGetObjectTree").WithSummary("A model view's object tree");
        md.MapGet("/{urn}/metadata/{modelGuid}/properties", MetadataEndpoints.GetProperties).RequireApsScope(Read)
            .WithName("ApsGetProperties").WithSummary("A model view's properties");
        md.MapPost("/{urn}/metadata/{modelGuid}/properties:query", PropertiesQuery.Query).RequireApsScope(Read)
            .WithName("ApsQueryProperties").WithSummary("Some objects' properties, by a query, paged");
        return app;
    }
}
