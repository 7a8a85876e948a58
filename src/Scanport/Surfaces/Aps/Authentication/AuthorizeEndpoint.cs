using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Scanport.Data;
using Scanport.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>
/// The three-legged sign-in: <c>GET /authentication/v2/authorize</c> (OpenIddict has checked the client, its registered
/// redirect URI, the PKCE S256 challenge and the scopes) shows a sign-in form, then a consent form; the consent posts
/// back to the same address, and OpenIddict redirects to the client with the code and <c>state</c>. A signed-in user is
/// remembered by a cookie scoped to <c>/authentication/v2</c>.
/// </summary>
internal static class AuthorizeEndpoint
{
    public const string CookieScheme = "ApsSignIn";

    public sealed record Services(ScanportDb Db, PasswordGuard Guard, IAntiforgery Antiforgery);

    public static async Task<IResult> Authorize(HttpContext context, [AsParameters] Services s, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        var posted = HttpMethods.IsPost(context.Request.Method);
        if (posted && !await s.Antiforgery.IsRequestValidAsync(context))
            return SignInPages.Message(context, "Request expired", "The form expired; go back to the application and start again.", 400);
        var user = await SignedInUserAsync(context, s.Db, ct);
        if (user is null) return SignInPages.SignIn(context, s.Antiforgery, ReturnUrl(context), error: null);
        var keyId = Guid.Parse(request.ClientId!);
        var client = await s.Db.ApiKeys.AsNoTracking().FirstAsync(k => k.Id == keyId, ct);
        // A key is its organization's credential: it acts for that organization's users only.
        if (client.OrgId != user.OrgId) return Deny("This application is not available to your organization.");
        if (!posted)
            return SignInPages.Consent(context, s.Antiforgery, client.Name, user.Email, request.GetScopes(), Parameters(context),
                new Uri(request.RedirectUri!).GetLeftPart(UriPartial.Authority));
        if (context.Request.Form["decision"] != "allow") return Deny("The user did not allow access.");
        return Results.SignIn(ApsPrincipals.ForUser(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary><c>POST /authentication/v2/signin</c>: the sign-in form's target; back to the authorization request on success.</summary>
    public static async Task<IResult> SignIn(HttpContext context, [AsParameters] Services s, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType || !await s.Antiforgery.IsRequestValidAsync(context))
            return SignInPages.Message(context, "Request expired", "The form expired; go back to the application and start again.", 400);
        var form = await context.Request.ReadFormAsync(ct);
        var returnUrl = form["return_url"].ToString();
        if (!returnUrl.StartsWith(ApsAuthentication.AuthorizePath + "?", StringComparison.Ordinal))
            return SignInPages.Message(context, "Bad request", "Sign in from an application's authorization request.", 400);
        string username = form["username"].ToString(), password = form["password"].ToString();
        var user = username.Length == 0 || password.Length == 0 ? null
            : await s.Guard.SignInAsync(s.Db, username, password, context.Connection.RemoteIpAddress, ct);
        if (user is null) return SignInPages.SignIn(context, s.Antiforgery, returnUrl, "Invalid email or password.");
        var identity = new ClaimsIdentity([
            new Claim(ClaimNames.Subject, user.Id.ToString()),
            new Claim(ClaimNames.Stamp, user.SecurityStamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], CookieScheme);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(returnUrl);
    }

    /// <summary><c>GET /authentication/v2/logout</c>: forgets the sign-in; back to the client only at a URI some key registered.</summary>
    public static async Task<IResult> Logout(HttpContext context, ScanportDb db, CancellationToken ct)
    {
        await context.SignOutAsync(CookieScheme);
        var target = context.Request.Query["post_logout_redirect_uri"].ToString();
        if (target.Length == 0) return SignInPages.Message(context, "Signed out", "You are signed out of Scanport.", 200);
        return await db.ApiKeys.AnyAsync(k => k.RevokedAt == null && k.RedirectUris.Contains(target), ct)
            ? Results.Redirect(target)
            : SignInPages.Message(context, "Signed out", "You are signed out; the address to return to is not registered.", 400);
    }

    /// <summary>The user the sign-in cookie names, if they still exist unchanged (a new password signs them out).</summary>
    private static async Task<User?> SignedInUserAsync(HttpContext context, ScanportDb db, CancellationToken ct)
    {
        var result = await context.AuthenticateAsync(CookieScheme);
        if (!result.Succeeded || !Guid.TryParse(result.Principal.FindFirst(ClaimNames.Subject)?.Value, out var id)) return null;
        var user = await db.Users.AsNoTracking().Include(u => u.Sites).FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is not null && result.Principal.FindFirst(ClaimNames.Stamp)?.Value == user.SecurityStamp.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? user : null;
    }

    /// <summary>The authorization request's own parameters, from the query or the consent form (without the form's own fields).</summary>
    private static IEnumerable<(string Name, string Value)> Parameters(HttpContext context)
    {
        IEnumerable<KeyValuePair<string, StringValues>> source = HttpMethods.IsPost(context.Request.Method) ? context.Request.Form : context.Request.Query;
        return source.Where(p => p.Key != "decision" && !p.Key.StartsWith("__", StringComparison.Ordinal))
            .SelectMany(p => p.Value.Select(v => (p.Key, v ?? ""))).ToList();
    }

    private static string ReturnUrl(HttpContext context) =>
        ApsAuthentication.AuthorizePath + QueryString.Create(Parameters(context).Select(p => KeyValuePair.Create(p.Name, (string?)p.Value)));

    private static IResult Deny(string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
