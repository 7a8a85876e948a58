using Scalar.AspNetCore;

namespace Scanport.Http;

/// <summary>
/// Headers that keep a browser from misusing any answer, set as the response starts (so an error page written after
/// <c>Response.Clear()</c> has them too): no MIME sniffing, so stored bytes are never run as a script or page by
/// guesswork; never framed (clickjacking); no Referer, which would carry presigned URLs and ids to other sites; and a
/// Content-Security-Policy. Everything Scanport answers is data (JSON, XML, stored objects), never a page, so the
/// policy lets nothing load or run and sandboxes the document; the one page, <c>/docs</c>, gets <see cref="DocsPolicy"/>.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

    /// <summary>Where a server-rendered page puts the policy it needs instead (a sign-in form must post).</summary>
    public const string PagePolicyItem = "Scanport.PagePolicy";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var nonce) && nonce is string value
                ? DocsPolicy(value)
                : context.Items.TryGetValue(PagePolicyItem, out var page) && page is string pagePolicy ? pagePolicy : DataPolicy;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    /// <summary>
    /// The API reference page (Scalar): its scripts from this origin and its one inline script by the nonce Scalar puts
    /// on this response; styles inline (Scalar sets them from script); requests to this origin only; nothing from a
    /// CDN (default fonts and telemetry are off).
    /// </summary>
    private static string DocsPolicy(string nonce) =>
        $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}
