using Scanport.Http;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>APS's Object Storage Service v2 at <c>/oss/v2</c>: buckets and objects of the caller's organization.</summary>
internal static class OssApi
{
    public const string BasePath = "/oss/v2";
    private const string DocumentName = "aps-oss";

    public static IServiceCollection AddApsOss(this IServiceCollection services)
    {
        services.AddApiDocument(DocumentName);
        services.AddScoped<OssCatalog>();
        services.AddHostedService<OssPruning>();
        return services;
    }

    public static WebApplication MapApsOss(this WebApplication app)
    {
        var oss = app.MapSurface(BasePath, OssErrorShape.Instance).WithTags("APS OSS").WithGroupName(DocumentName).DisableAntiforgery();
        oss.MapOssBuckets().MapOssObjects().MapOssSignedS3();
        return app;
    }
}
