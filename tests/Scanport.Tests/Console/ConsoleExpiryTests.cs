using Microsoft.Playwright;
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
        await using var page = await OpenAsync(_app);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        // The page believes its token is good for an hour (a clock behind the server's), and the server has expired it.
        await page.Page.EvaluateAsync("""
            () => {
              const s = JSON.parse(sessionStorage.getItem('scanport.session'));
              sessionStorage.setItem('scanport.session', JSON.stringify({ ...s, expiresAt: Date.now() + 3600000 }));
            }
            """);
        using (var probe = _app.Client(await page.Page.EvaluateAsync<string>("JSON.parse(sessionStorage.getItem('scanport.session')).token")))
        {
            // Waits for the server to refuse the token (its five seconds), so the page's next call is the one refused.
            for (var i = 0; i < 300 && (await probe.GetAsync("/platform/v1/me")).StatusCode != System.Net.HttpStatusCode.Unauthorized; i++)
                await Task.Delay(100);
        }
        await page.Page.ReloadAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your session has expired: sign in again.");
        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        Assert.Contains(page.Requests, r => r.Url.EndsWith("/platform/v1/projects?limit=20&offset=0", StringComparison.Ordinal));
    }
}
