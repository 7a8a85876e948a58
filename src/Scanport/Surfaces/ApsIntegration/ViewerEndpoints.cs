using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// The viewer's token and configuration. On Autodesk's cloud, what Autodesk's viewer needs for SVF2
/// (<c>env: AutodeskProduction2</c>, <c>api: streamingV2</c>; the document's <c>derivativeV2</c> is SVF's); on Scanport's,
/// where Scanport's own three.js viewer page is, with a token it can read the model's tree and properties with.
/// </summary>
internal static class ViewerEndpoints
{
    public const string ViewerScope = "viewables:read";
    /// <summary>Scanport's viewer also reads the object tree and properties (Model Derivative's metadata), which APS gives only to <c>data:read</c>.</summary>
    public const string ScanportViewerScopes = "viewables:read data:read";

    public static void MapApsiViewer(this RouteGroupBuilder api)
    {
        var viewer = api.MapGroup("/viewer");
        viewer.MapGet("/token", Token).RequireCaller(Permissions.ReadsApsData, ApsEndpoints.ReadRefused).ProducesErrors(502)
            .WithName("ApsiViewerToken").WithSummary("A short-lived APS token with viewables:read only");
        viewer.MapGet("/config/{urn}", Config).RequireCaller(Permissions.ReadsApsData, ApsEndpoints.ReadRefused).ProducesErrors(404, 502)
            .WithName("ApsiViewerConfig").WithSummary("What a viewer needs to show a translated model");
    }

    public static async Task<Ok<ViewerTokenModel>> Token(HttpContext context, Caller caller, TenantClouds clouds, TimeProvider clock, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        var client = await clouds.ForAsync(caller.OrgId, ct);
        var token = await client.TwoLeggedTokenAsync(ViewerScope, ct);
        return TypedResults.Ok(new ViewerTokenModel(token.AccessToken, "Bearer", ExpiresIn(token.ExpiresAt, clock)));
    }

    public static async Task<Results<Ok<ViewerConfigModel>, ErrorResult>> Config(string urn, HttpContext context, Caller caller, DesignFiles files,
        TenantClouds clouds, TimeProvider clock, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await ApsEndpoints.VisibleUrnAsync(urn, caller, files, ct) is not { } parsed) return new ErrorResult(ApsEndpoints.UrnNotFound);
        var client = await clouds.ForAsync(caller.OrgId, ct);
        if (!clouds.IsScanportCloud)
        {
            var token = await client.TwoLeggedTokenAsync(ViewerScope, ct);
            return TypedResults.Ok(new ViewerConfigModel(parsed.Urn, token.AccessToken, ExpiresIn(token.ExpiresAt, clock), "streamingV2", "AutodeskProduction2",
                new ViewerOptions(["Autodesk.DocumentBrowser", "Autodesk.Measure"], "light"), null));
        }
        var scanport = await client.TwoLeggedTokenAsync(ScanportViewerScopes, ct);
        var page = new Uri(clouds.OwnUrl, $"aps/viewer/{parsed.Urn}").ToString();
        return TypedResults.Ok(new ViewerConfigModel(parsed.Urn, scanport.AccessToken, ExpiresIn(scanport.ExpiresAt, clock), "scanport", "Scanport",
            new ViewerOptions(["orbit", "fit", "tree", "properties", "measure"], "light"), page));
    }

    private static long ExpiresIn(DateTimeOffset expiresAt, TimeProvider clock) => Math.Max(0, (long)(expiresAt - clock.GetUtcNow()).TotalSeconds);
}

internal sealed record ViewerTokenModel(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);

internal sealed record ViewerConfigModel(
    [property: JsonPropertyName("urn")] string Urn,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("api")] string Api,
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("options")] ViewerOptions Options,
    // Scanport's cloud: the viewer page; open it with #token= and the access token.
    [property: JsonPropertyName("url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url);

internal sealed record ViewerOptions([property: JsonPropertyName("extensions")] string[] Extensions, [property: JsonPropertyName("theme")] string Theme);
