using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Scanport.Http;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// The three-legged flow's pages: plain HTML forms, no script, no style sheet. Each answer carries a
/// Content-Security-Policy that lets its form post to this origin (and, for the consent form, the redirect to the
/// client's origin that follows), and nothing else.
/// </summary>
internal static class SignInPages
{
    public static IResult SignIn(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error, int status = 200)
    {
        var body = new StringBuilder();
        body.Append("<h1>Sign in to Scanport</h1>");
        if (error is not null) body.Append("<p role=\"alert\">").Append(Encode(error)).Append("</p>");
        body.Append("<form method=\"post\" action=\"").Append(Encode(ApsAuthentication.SignInPath)).Append("\">")
            .Append(Hidden(AntiforgeryToken(context, antiforgery)))
            .Append(Hidden(("return_url", returnUrl)))
            .Append("<p><label>Email <input name=\"username\" type=\"email\" autocomplete=\"username\" required></label></p>")
            .Append("<p><label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>")
            .Append("<p><button type=\"submit\">Sign in</button></p></form>");
        return Page(context, "Sign in", body.ToString(), status, formTargets: "'self'");
    }

    /// <summary>The consent form re-posts the authorization request's own parameters, so OpenIddict validates it again.</summary>
    public static IResult Consent(HttpContext context, IAntiforgery antiforgery, string clientName, string email,
        IEnumerable<string> scopes, IEnumerable<(string Name, string Value)> parameters, string redirectOrigin)
    {
        var body = new StringBuilder();
        body.Append("<h1>Allow access</h1><p>").Append(Encode(clientName)).Append(" asks to act as ")
            .Append(Encode(email)).Append(" with these scopes:</p><ul>");
        foreach (var scope in scopes) body.Append("<li>").Append(Encode(scope)).Append("</li>");
        body.Append("</ul><form method=\"post\" action=\"").Append(Encode(ApsAuthentication.AuthorizePath)).Append("\">")
            .Append(Hidden(AntiforgeryToken(context, antiforgery)));
        foreach (var parameter in parameters) body.Append(Hidden(parameter));
        body.Append("<p><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></p></form>");
        return Page(context, "Allow access", body.ToString(), 200, formTargets: $"'self' {redirectOrigin}");
    }

    public static IResult Message(HttpContext context, string title, string message, int status) =>
        Page(context, title, $"<h1>{Encode(title)}</h1><p>{Encode(message)}</p>", status, formTargets: "'none'");

    private static IResult Page(HttpContext context, string title, string body, int status, string formTargets)
    {
        context.Items[SecurityHeadersMiddleware.PagePolicyItem] =
            $"default-src 'none'; form-action {formTargets}; base-uri 'none'; frame-ancestors 'none'";
        context.Response.Headers.CacheControl = "no-store";
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head><body>{body}</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static (string, string) AntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return (tokens.FormFieldName, tokens.RequestToken!);
    }

    private static string Hidden((string Name, string Value) field) =>
        $"<input type=\"hidden\" name=\"{Encode(field.Name)}\" value=\"{Encode(field.Value)}\">";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
