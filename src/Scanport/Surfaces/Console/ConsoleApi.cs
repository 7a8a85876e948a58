using Microsoft.Net.Http.Headers;
using Scanport.Http;
using Scanport.Storage;

namespace Scanport.Surfaces.Console;

/// <summary>
/// The web console, <c>/console/</c>: a single-page app served as static files, anonymous (it holds no data; its calls to
/// the platform API carry the person's token). Any address under <c>/console/</c> that is not a file answers
/// <c>index.html</c>, so the app's own routes (<c>/console/projects/{id}</c>) load on a reload or a deep link. A browser
/// opening <c>/</c> is sent to the console.
/// </summary>
internal static class ConsoleApi
{
    public const string Root = "/console";
    /// <summary>The group name of its routes: what the request metrics call this surface.</summary>
    private const string Surface = "console";

    public static IServiceCollection AddConsole(this IServiceCollection services) => services.AddSingleton(_ => ConsoleAssets.FromOutput());

    public static WebApplication MapConsole(this WebApplication app)
    {
        var assets = app.Services.GetRequiredService<ConsoleAssets>();
        if (!assets.Built)
            app.Logger.LogWarning("The console is not built into {Folder}: ./run builds it (npm run build in console/, then dotnet build)", assets.Root);
        app.MapGet("/", GetRoot).AllowAnonymous().ExcludeFromDescription().WithGroupName(Surface).WithName("Root").WithSummary("A browser is sent to the console");
        app.MapGet(Root + "/{**path}", GetFile).AllowAnonymous().ExcludeFromDescription().WithGroupName(Surface)
            .WithName("Console").WithSummary("The console's files, and index.html for its pages");
        return app;
    }

    /// <summary>A browser (it asks for HTML) goes to the console; a program gets the usual 404.</summary>
    public static IResult GetRoot(HttpContext context)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            ? TypedResults.Redirect(Root + "/")
            : new ErrorResult(new ApiError(StatusCodes.Status404NotFound, "Nothing is served at /: the console is at /console/, the API documents at /docs."));
    }

    public static IResult GetFile(string? path, HttpContext context, ConsoleAssets assets, IObjectStore store)
    {
        if (context.Request.Path.Value == Root)
            return TypedResults.Redirect(Root + "/" + context.Request.QueryString);
        context.Items[SecurityHeadersMiddleware.PagePolicyItem] = ConsoleAssets.Policy(store.PublicEndpoint);
        path ??= "";
        if (ConsoleAssets.IsFilePath(path))
        {
            if (assets.Find(path) is not { } found)
                return new ErrorResult(new ApiError(StatusCodes.Status404NotFound, "The console has no such file."));
            return Send(context, found.File, found.ContentType, ConsoleAssets.CacheControl(path));
        }
        if (!assets.Built)
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content(NotBuiltPage, "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return Send(context, assets.Index, "text/html; charset=utf-8", "no-cache");
    }

    private static IResult Send(HttpContext context, Microsoft.Extensions.FileProviders.IFileInfo file, string contentType, string cacheControl)
    {
        context.Response.Headers.CacheControl = cacheControl;
        var modified = file.LastModified;
        var etag = new EntityTagHeaderValue($"\"{modified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.PhysicalFile(file.PhysicalPath!, contentType, lastModified: modified, entityTag: etag);
    }

    private const string NotBuiltPage = """
        <!doctype html>
        <html lang="en"><meta charset="utf-8"><title>Scanport console: not built</title>
        <main><h1>The console is not built</h1>
        <p>This Scanport was built without its web console. <code>./run</code> builds it (it needs Node.js 20.19 or later):
        or build it by hand with <code>npm ci --prefix console &amp;&amp; npm run build --prefix console</code>, then build Scanport again.</p>
        <p>The APIs work without it: their documents are at <a href="/docs">/docs</a>.</p></main></html>
        """;
}
