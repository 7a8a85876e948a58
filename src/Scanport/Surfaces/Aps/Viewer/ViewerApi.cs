using Microsoft.Net.Http.Headers;
using Scanport.Http;

namespace Scanport.Surfaces.Aps.Viewer;

/// <summary>
/// Scanport's own model viewer, <c>/aps/viewer/{urn}</c>: an anonymous page (it holds no data) whose scripts load the
/// model from the Model Derivative endpoints of this origin with the APS token given in the URL fragment
/// (<c>#token=...</c>, which a browser never sends to a server), and its static files under <c>/aps/viewer/assets/</c>.
/// </summary>
internal static class ViewerApi
{
    public const string Root = "/aps/viewer";

    public static IServiceCollection AddApsViewer(this IServiceCollection services) => services.AddSingleton(_ => ViewerAssets.FromOutput());

    public static WebApplication MapApsViewer(this WebApplication app)
    {
        var assets = app.Services.GetRequiredService<ViewerAssets>();
        if (!assets.HasThree)
            app.Logger.LogWarning("The viewer's three.js is missing from {Folder}: run tools/npm-ci.sh tools/viewer and build again", assets.Root);
        var viewer = app.MapGroup(Root).WithTags("APS viewer").WithGroupName("aps-viewer").AllowAnonymous().ExcludeFromDescription();
        viewer.MapGet("/{urn}", GetPage).WithName("ApsViewerPage").WithSummary("The model viewer page for a translated design's URN");
        viewer.MapGet("/assets/{**path}", GetAsset).WithName("ApsViewerAssets").WithSummary("The viewer's scripts and styles");
        return app;
    }

    /// <summary>The page; the same for every URN (its script reads the URN from the address), so nothing is echoed into it.</summary>
    public static IResult GetPage(string urn, HttpContext context, ViewerAssets assets)
    {
        context.Items[SecurityHeadersMiddleware.PagePolicyItem] = assets.Policy;
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(assets.Page, "text/html; charset=utf-8");
    }

    public static IResult GetAsset(string? path, ViewerAssets assets)
    {
        if (assets.Find(path ?? "") is not { } found)
            return new ErrorResult(new ApiError(StatusCodes.Status404NotFound, "The viewer has no such file."));
        var modified = found.File.LastModified;
        var etag = new EntityTagHeaderValue($"\"{modified.UtcTicks:x}-{found.File.Length:x}\"");
        return TypedResults.PhysicalFile(found.File.PhysicalPath!, found.ContentType, lastModified: modified, entityTag: etag);
    }
}
