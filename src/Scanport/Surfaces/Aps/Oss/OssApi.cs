namespace Scanport.Surfaces.Aps.Oss;

/// <summary>APS's Object Storage Service v2 at <c>/oss/v2</c>: buckets and objects of the caller's organization.</summary>
internal static class OssApi
{
    public static IServiceCollection AddApsOss(this IServiceCollection services)
    {
        services.AddScoped<OssCatalog>();
        return services;
    }

    public static WebApplication MapApsOss(this WebApplication app) => app;
}
