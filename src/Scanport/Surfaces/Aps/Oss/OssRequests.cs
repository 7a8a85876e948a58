using Scanport.ApsCloud;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using OpenIddict.Abstractions;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.Oss;

/// <summary>What every OSS endpoint reads from a request the same way: keys, paging, numbers, and how it writes dates and links.</summary>
internal static class OssRequests
{
    /// <summary>
    /// The object key as the client encoded it: from the raw path, since routing leaves <c>%2F</c> encoded and decodes
    /// <c>%25</c>, which would make <c>a%2Fb</c> and <c>a/b</c> the same key. Null when the path has no such segment.
    /// </summary>
    public static string? ObjectKey(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var q = raw.IndexOf('?');
        var segments = (q < 0 ? raw : raw[..q]).TrimStart('/').Split('/');
        // oss / v2 / buckets / {bucketKey} / objects / {objectKey} [/ details | signeds3upload | signeds3download]
        if (segments.Length < 6) return null;
        try
        {
            return Uri.UnescapeDataString(segments[5]);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary>The scheme and host the client called, for the absolute links APS answers (<c>next</c>, <c>location</c>).</summary>
    public static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    public static string Location(HttpContext context, string bucketKey, string objectKey) =>
        $"{Origin(context)}/oss/v2/buckets/{bucketKey}/objects/{Uri.EscapeDataString(objectKey)}";

    /// <summary>The same request's URL with <c>startAt</c> moved on to <paramref name="after"/>: the next page.</summary>
    public static string Next(HttpContext context, string after)
    {
        var query = context.Request.Query.Where(p => p.Key != "startAt")
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"startAt={Uri.EscapeDataString(after)}");
        return $"{Origin(context)}{context.Request.Path}?{string.Join('&', query)}";
    }

    /// <summary>An integer query parameter between <paramref name="min"/> and <paramref name="max"/>, else its default; an error when it is something else.</summary>
    public static bool TryInt(HttpContext context, string name, int fallback, int min, int max, out int value, out ErrorResult? error)
    {
        error = null;
        value = fallback;
        if (!context.Request.Query.TryGetValue(name, out var given) || given.Count == 0 || string.IsNullOrEmpty(given[0])) return true;
        if (given.Count == 1 && int.TryParse(given[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        error = OssErrors.BadRequest($"{name} must be an integer from {min} to {max}");
        return false;
    }

    public static long Epoch(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>APS's <c>bucketOwner</c>: the client id the token was issued to (the API key), else the caller.</summary>
    public static string ClientId(ClaimsPrincipal user, Caller caller) =>
        user.GetClaim(OpenIddictConstants.Claims.ClientId) ?? user.GetPresenters().FirstOrDefault() ?? caller.Id.ToString();

    public static OssObjectDetails Details(HttpContext context, OssObject o) => new(
        o.BucketKey, ApsUrns.ObjectId(o.BucketKey, o.ObjectKey), o.ObjectKey, o.Sha1, o.Size, o.ContentType ?? DefaultContentType,
        Location(context, o.BucketKey, o.ObjectKey));

    public const string DefaultContentType = "application/octet-stream";
}
