using Microsoft.Playwright;
using Scanport.Tests.Browser;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>
/// A session that runs out: an app of its own issues user tokens of five seconds (and takes no clock skew), so a
/// person signed in to the console is sent back to sign-in with a message when the token expires, never left on a
/// broken page, and can sign in again.
/// </summary>
public sealed class ConsoleExpiryTests : IAsyncLifetime
{
    private ScanportApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Auth:UserTokenLifetime"] = "00:00:05",
            ["Auth:ClockSkew"] = "00:00:00",
        });

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task An_expired_session_returns_to_sign_in_with_a_message()
    {
        var tenant = await _app.NewTenantAsync();
        var id = await CreateProjectAsync(_app, tenant.AdminToken, "Tunnel scan");
        await using var page = await OpenAsync(_app, $"/console/projects/{id}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Tunnel scan")).ToBeVisibleAsync();

        // Nothing is clicked: the page itself notices the expiry.
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your session has expired: sign in again.",
            new() { Timeout = 30_000 });
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("Tunnel scan")).ToHaveCountAsync(0);
        Assert.Null(await page.Page.EvaluateAsync<string?>("sessionStorage.getItem('scanport.session')"));

        // Signing in again goes back to the page the person was on.
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Tunnel scan")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_token_the_server_no_longer_takes_answers_401_and_returns_to_sign_in()
    {
        var tenant = await _app.NewTenantAsync();
        var token = await _app.TokenAsync(tenant.AdminEmail, TenantPassword);
        using (var probe = _app.Client(token))
        {
            // Until the server refuses the token (its five seconds).
            for (var i = 0; i < 300 && (await probe.GetAsync("/platform/v1/me")).StatusCode != System.Net.HttpStatusCode.Unauthorized; i++)
                await Task.Delay(100);
        }
        var page = await Chromium.OpenAsync();
        await using var _ = page;
        // A tab that believes its token good for another hour (its clock behind the server's): only the 401 tells it.
        await page.Context.AddInitScriptAsync($$"""
            sessionStorage.setItem('scanport.session', JSON.stringify({ token: '{{token}}', expiresAt: Date.now() + 3600000, email: '{{tenant.AdminEmail}}' }));
            """);

        await page.Page.GotoAsync(new Uri(_app.BaseAddress, "/console/projects").ToString());

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your session has expired: sign in again.");
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        Assert.Contains(page.Requests, r => r.Url.EndsWith("/platform/v1/projects?limit=20&offset=0", StringComparison.Ordinal));
    }
}
