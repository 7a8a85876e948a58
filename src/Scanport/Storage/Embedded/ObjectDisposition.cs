namespace Scanport.Storage.Embedded;

/// <summary>
/// How a stored object is handed to a browser. The endpoint shares Scanport's origin, so an uploaded page rendered
/// from it could act with the signed-in user's session there: objects are downloads (<c>attachment</c>) unless the
/// request asks for another disposition with S3's <c>response-content-disposition</c> (signed with the request, so
/// only a credential holder can ask), and a type a browser would run (HTML, SVG, XML, script) is a download whatever
/// was asked. The response's policy (see Http's SecurityHeadersMiddleware) sandboxes it besides.
/// </summary>
internal static class ObjectDisposition
{
    private static readonly string[] ActiveTypes =
    [
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/xsl", "application/xslt+xml",
        "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript", "application/x-javascript",
    ];

    /// <summary>Sets Content-Type, Content-Disposition (and Cache-Control when asked) of a GET or HEAD of an object stored with <paramref name="storedType"/>.</summary>
    public static void Apply(HttpContext context, string? storedType)
    {
        var query = context.Request.Query;
        var type = Override(query, "response-content-type") ?? storedType ?? "binary/octet-stream";
        var asked = Override(query, "response-content-disposition");
        context.Response.ContentType = type;
        context.Response.Headers.ContentDisposition = asked is null || IsActive(type) && !asked.StartsWith("attachment", StringComparison.OrdinalIgnoreCase)
            ? "attachment"
            : asked;
        if (Override(query, "response-cache-control") is { } cache) context.Response.Headers.CacheControl = cache;
    }

    /// <summary>A response override as S3 takes it; one that cannot be a header value (control characters, non-ASCII) is ignored.</summary>
    private static string? Override(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values is [{ Length: > 0 and <= 1024 } value] && value.All(c => c is >= ' ' and <= '~')
            ? value
            : null;

    /// <summary>Media types a browser renders or runs: by the type's essence, and any <c>+xml</c> type.</summary>
    public static bool IsActive(string contentType)
    {
        var essence = contentType.Split(';', 2)[0].Trim();
        return ActiveTypes.Contains(essence, StringComparer.OrdinalIgnoreCase)
            || essence.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || essence.Length == 0;
    }
}
