using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Identity;
using Scanport.ModelDerivatives;
using Scanport.Storage;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>Manifests, their derivatives, thumbnails and the formats list.</summary>
internal static class ManifestEndpoints
{
    /// <summary>The design a URN names and its manifest in the caller's organization; an error when the URN is bad or has none.</summary>
    public static async Task<(DesignSource? Source, DerivativeManifest? Manifest, IResult? Error)> FindAsync(
        string urn, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (DesignUrns.Read(urn) is not { } source) return (null, null, MdErrors.BadInput("The urn is not the base64 URN of an OSS object id."));
        var manifest = await db.DerivativeManifests.AsNoTracking()
            .FirstOrDefaultAsync(m => m.OrgId == caller.OrgId && m.SourceId == source.ObjectId, ct);
        return manifest is null ? (source, null, MdErrors.UnknownUrn) : (source, manifest, null);
    }

    public static async Task<IResult> GetManifest(string urn, Caller caller, ScanportDb db, CancellationToken ct)
    {
        var (source, manifest, error) = await FindAsync(urn, caller, db, ct);
        return error ?? TypedResults.Json(ManifestJson.Build(manifest!, source!));
    }

    /// <summary>Deletes the manifest and its derivatives; idempotent (200 when there was none), as at APS.</summary>
    public static async Task<IResult> DeleteManifest(string urn, Caller caller, ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        if (!Permissions.WritesApsData(caller)) return MdErrors.ReadOnly;
        var (_, manifest, error) = await FindAsync(urn, caller, db, ct);
        if (error is not null && manifest is null && DesignUrns.Read(urn) is null) return error;
        if (manifest is not null)
        {
            // A job still translating it finds its generation gone and stores nothing.
            await db.DerivativeManifests.Where(m => m.OrgId == caller.OrgId && m.SourceId == manifest.SourceId).ExecuteDeleteAsync(ct);
            await files.DeleteGenerationAsync(caller.OrgId, manifest.Generation, CancellationToken.None);
        }
        return TypedResults.Json(new ManifestDeleted("success"));
    }

    /// <summary>A derivative (the glTF, a thumbnail) by its URN, whole or as one byte range; HEAD for its size.</summary>
    public static async Task<IResult> GetDerivative(string urn, string derivativeUrn, Caller caller, HttpContext context, ScanportDb db,
        DerivativeFiles files, CancellationToken ct)
    {
        var (source, manifest, error) = await FindAsync(urn, caller, db, ct);
        if (error is not null) return error;
        if (DesignUrns.FileOf(derivativeUrn, source!) is not { } file) return MdErrors.NotFound("The derivative URN names no derivative of this design.");
        if (manifest!.Status is ManifestStatus.Pending or ManifestStatus.InProgress) return TypedResults.Accepted((string?)null, new { result = "inprogress" });
        if (await files.HeadAsync(caller.OrgId, manifest.Generation, file, ct) is not { } info)
            return MdErrors.NotFound("The design has no such derivative (its translation did not make it).");
        return await files.Store.SendAsync(context, info, file) switch
        {
            ObjectSendOutcome.RangeNotSatisfiable => new Http.ErrorResult(new Http.ApiError(StatusCodes.Status416RangeNotSatisfiable,
                "The range starts past the end of the derivative.", Code: "RANGE_NOT_SATISFIABLE")),
            ObjectSendOutcome.Gone => MdErrors.NotFound("The derivative was deleted."),
            _ => TypedResults.Empty,
        };
    }

    /// <summary>The design's thumbnail, a square PNG of 100, 200 (default) or 400 pixels.</summary>
    public static async Task<IResult> GetThumbnail(string urn, string? width, string? height, Caller caller, HttpContext context,
        ScanportDb db, DerivativeFiles files, CancellationToken ct)
    {
        int? Size(string? value) => value is null ? 0 : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && DerivativeFiles.ThumbnailSizes.Contains(n) ? n : null;
        if (Size(width) is not { } w || Size(height) is not { } h) return MdErrors.BadInput("width and height must be 100, 200 or 400.");
        if (w != 0 && h != 0 && w != h) return MdErrors.BadInput("Thumbnails are square: width and height must be equal.");
        var size = Math.Max(w, h) is > 0 and var s ? s : 200;
        var (_, manifest, error) = await FindAsync(urn, caller, db, ct);
        if (error is not null) return error;
        if (!ManifestJson.Thumbnails(manifest!).Contains(size) || manifest!.Status != ManifestStatus.Success)
            return MdErrors.NotFound("The design has no thumbnail (yet).");
        await using var content = await files.OpenAsync(caller.OrgId, manifest.Generation, DerivativeFiles.Thumbnail(size), ct);
        if (content is null) return MdErrors.NotFound("The thumbnail was deleted.");
        context.Response.Headers["x-ads-size"] = $"[{size},{size}]";
        context.Response.Headers["x-ads-role"] = "rendering";
        context.Response.Headers["x-ads-job-status"] = "success";
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = content.Info.Size;
        await content.Body.CopyToAsync(context.Response.Body, ct);
        return TypedResults.Empty;
    }

    /// <summary>What Scanport translates: every input format to each output type.</summary>
    public static IResult GetFormats()
    {
        var inputs = ModelTranslator.InputFormats.Append("zip").Order(StringComparer.Ordinal).ToArray();
        return TypedResults.Json(new { formats = JobEndpoint.OutputTypes.ToDictionary(t => t, _ => inputs) });
    }
}
