using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Surfaces.ApsIntegration;
using Scanport.Tests.Surfaces.Aps;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// The three-legged flow on Scanport's own APS cloud: the v2 authorize URL of the organization's application, Scanport's
/// sign-in and consent pages as a browser meets them, the code exchanged (by APS's redirect or by the document's POST), the
/// tokens kept encrypted, the profile, and the refresh with a rotated refresh token when the access token has expired.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ApsAuthorizationTests(ScanportApp app)
{
    [Fact]
    public async Task A_user_authorizes_through_the_sign_in_pages_and_the_redirect_exchanges_the_code()
    {
        var (email, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/auth/aps/profile")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        var answer = await (await client.GetAsync($"{Base}/auth/aps/auth-url")).Status(HttpStatusCode.OK);
        var url = new Uri(answer.GetProperty("auth_url").GetString()!);
        var query = ApsClient.Query(url);
        var appKey = await AppKeyAsync(email);
        Assert.Equal(new Uri(app.BaseAddress, "/authentication/v2/authorize").ToString(), url.GetLeftPart(UriPartial.Path));
        Assert.Equal(appKey.ToString(), query["client_id"]);
        Assert.Equal(appKey.ToString(), answer.GetProperty("client_id").GetString());
        Assert.Equal(new Uri(app.BaseAddress, $"{Base}/auth/aps/callback").ToString(), query["redirect_uri"]);
        Assert.Equal(("code", "S256"), (query["response_type"], query["code_challenge_method"]));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["code_challenge"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Equal(query["scope"].Split(' '), answer.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("user-profile:read", query["scope"].Split(' '));

        // The browser: Scanport's sign-in page, the user's credentials, the consent page, allow; APS's redirect back here.
        var back = await SignInAndConsentAsync(url, email, Password);
        Assert.Equal(new Uri(app.BaseAddress, $"{Base}/auth/aps/callback").ToString(), back.GetLeftPart(UriPartial.Path));
        var returned = ApsClient.Query(back);
        Assert.Equal(query["state"], returned["state"]);
        using var browser = app.Client();
        var exchanged = await (await browser.GetAsync(back)).Status(HttpStatusCode.OK);
        Assert.Equal("Autorización de APS procesada correctamente", exchanged.GetProperty("message").GetString());
        Assert.StartsWith(exchanged.GetProperty("code").GetString()!.TrimEnd('.'), returned["code"]);

        // The same redirect again: its state is spent.
        await (await browser.GetAsync(back)).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");

        // Kept encrypted: no token in the row, and what it decrypts to is the cloud's JWT for this user.
        var row = await TokenRowAsync(email);
        var access = Unprotect(row.ProtectedAccessToken);
        var refresh = Unprotect(row.ProtectedRefreshToken!);
        Assert.StartsWith("eyJ", access);
        Assert.DoesNotContain(access, row.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh, row.ProtectedRefreshToken!, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", row.ProtectedAccessToken, StringComparison.Ordinal);

        var profile = await (await client.GetAsync($"{Base}/auth/aps/profile")).Status(HttpStatusCode.OK);
        Assert.True(profile.GetProperty("authorized").GetBoolean());
        Assert.Equal(email, profile.GetProperty("profile").GetProperty("email").GetString());
        Assert.Contains("user-profile:read", profile.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(row.ProtectedAccessToken, (await TokenRowAsync(email)).ProtectedAccessToken); // valid: not refreshed

        // Expired: the profile refreshes it, a new access token is stored and the refresh token rotated (the old one spent).
        await ExpireAsync(email);
        var refreshed = await (await client.GetAsync($"{Base}/auth/aps/profile")).Status(HttpStatusCode.OK);
        Assert.Equal(email, refreshed.GetProperty("profile").GetProperty("email").GetString());
        var renewed = await TokenRowAsync(email);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.NotEqual(access, Unprotect(renewed.ProtectedAccessToken));
        Assert.NotEqual(refresh, Unprotect(renewed.ProtectedRefreshToken!));
        var spent = await RefreshAtTheCloudAsync(email, refresh);
        Assert.Equal(HttpStatusCode.BadRequest, spent.StatusCode);
        Assert.Equal("invalid_grant", (await spent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_code_posted_is_exchanged_once_and_unknown_expired_or_spent_ones_are_refused()
    {
        var (email, client) = await app.UserAsync();
        var first = await AuthorizedCodeAsync(client, email);

        // The document's POST, with the state.
        var exchanged = await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { first.Code, first.State })).Status(HttpStatusCode.OK);
        Assert.Equal("Autorización de APS procesada correctamente", exchanged.GetProperty("message").GetString());
        await (await client.GetAsync($"{Base}/auth/aps/profile")).Status(HttpStatusCode.OK);
        var stored = (await TokenRowAsync(email)).ProtectedAccessToken;

        // The same code and state again: the state is spent.
        await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { first.Code, first.State })).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");
        // The spent code with a new authorization's state: the cloud refuses it.
        var url = await (await client.GetAsync($"{Base}/auth/aps/auth-url")).Status(HttpStatusCode.OK);
        var state = ApsClient.Query(new Uri(url.GetProperty("auth_url").GetString()!))["state"];
        await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { first.Code, state })).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");
        // An unknown state, and no authorization under way at all.
        await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { first.Code, state = "not-a-state" })).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");
        await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = "whatever" })).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");
        using var anonymous = app.Client();
        await (await anonymous.GetAsync($"{Base}/auth/aps/callback?code=abc&state=not-a-state")).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");

        // An authorization that expired before its code came back.
        var late = await AuthorizedCodeAsync(client, email);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            Assert.Equal(1, await db.Set<ApsiAuthorization>().Where(a => a.State == late.State)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        }
        await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { late.Code, late.State })).ErrorAsync(HttpStatusCode.BadRequest, "APS_AUTH_FAILED");

        // Refused exchanges left the user's tokens as they were.
        Assert.Equal(stored, (await TokenRowAsync(email)).ProtectedAccessToken);

        // Malformed: 422.
        var invalid = await (await client.PostAsJsonAsync($"{Base}/auth/aps/callback", new { state = "x" })).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        Assert.Contains(invalid.GetProperty("errors").EnumerateArray(), e => e.GetProperty("loc")[1].GetString() == "code");
        using var raw = new StringContent("{\"code\": ", System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync($"{Base}/auth/aps/callback", raw)).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Only_users_authorize_APS()
    {
        var tenant = await app.NewTenantAsync();
        var (_, secret) = await tenant.ApiKeyAsync("operator");
        using var key = app.Client(secret);
        await (await key.GetAsync($"{Base}/auth/aps/auth-url")).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        await (await key.PostAsJsonAsync($"{Base}/auth/aps/callback", new { code = "abc" })).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        await (await key.GetAsync($"{Base}/auth/aps/profile")).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        using var anonymous = app.Client();
        await (await anonymous.GetAsync($"{Base}/auth/aps/auth-url")).ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_REQUIRED");
    }

    /// <summary>An authorization under way and the code the sign-in pages gave for it.</summary>
    private async Task<(string Code, string State)> AuthorizedCodeAsync(HttpClient client, string email)
    {
        var answer = await (await client.GetAsync($"{Base}/auth/aps/auth-url")).Status(HttpStatusCode.OK);
        var back = ApsClient.Query(await SignInAndConsentAsync(new Uri(answer.GetProperty("auth_url").GetString()!), email, Password));
        return (back["code"], back["state"]);
    }

    /// <summary>As <see cref="ApsClient.SignInAndConsentAsync"/>, for the surface's own authorize URL: the redirect back, with the code.</summary>
    private async Task<Uri> SignInAndConsentAsync(Uri authorize, string email, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = app.BaseAddress };
        var (action, fields) = await ApsClient.FormOf(await browser.GetAsync(authorize));
        Assert.Equal("/authentication/v2/signin", action);
        fields["username"] = email;
        fields["password"] = password;
        var signedIn = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        (action, fields) = await ApsClient.FormOf(await browser.GetAsync(signedIn.Headers.Location));
        Assert.Equal(ApsClient.Authorize, action);
        fields["decision"] = "allow";
        var back = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.True(back.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)back.StatusCode}: {await back.Content.ReadAsStringAsync()}");
        return back.Headers.Location!;
    }

    private async Task<Guid> AppKeyAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var orgId = await db.Users.Where(u => u.Email == email).Select(u => u.OrgId).SingleAsync();
        return await db.Set<ApsiAppKey>().Where(k => k.OrgId == orgId).Select(k => k.ApiKeyId).SingleAsync();
    }

    private async Task<ApsiUserToken> TokenRowAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.Set<ApsiUserToken>().AsNoTracking().SingleAsync(t => t.UserId == userId);
    }

    private async Task ExpireAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        Assert.Equal(1, await db.Set<ApsiUserToken>().Where(t => t.UserId == userId)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
    }

    private string Unprotect(string value, string purpose = "Scanport.ApsIntegration.UserToken.v1") =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(value);

    /// <summary>A refresh-token grant sent to the cloud as the organization's application.</summary>
    private async Task<HttpResponseMessage> RefreshAtTheCloudAsync(string email, string refreshToken)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var orgId = await db.Users.Where(u => u.Email == email).Select(u => u.OrgId).SingleAsync();
        var key = await db.Set<ApsiAppKey>().SingleAsync(k => k.OrgId == orgId);
        var secret = Unprotect(key.ProtectedSecret, "Scanport.ApsIntegration.AppKey.v1");
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication/v2/token")
        {
            Content = PlatformCalls.Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{key.ApiKeyId}:{secret}")));
        return await client.SendAsync(request);
    }
}
