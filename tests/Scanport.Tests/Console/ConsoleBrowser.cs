using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Scanport.Tests.Browser;

namespace Scanport.Tests.Console;

/// <summary>The console opened in Chromium, and what its tests do in it as a person does: by labels, roles and names.</summary>
internal static class ConsoleBrowser
{
    public const string TenantPassword = "tenant-admin-password";

    /// <summary>A fresh browser page (its own session storage) at a console address.</summary>
    public static async Task<BrowserPage> OpenAsync(ScanportApp app, string path = "/console/")
    {
        var page = await Chromium.OpenAsync();
        await page.Page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        return page;
    }

    public static async Task SignInAsync(BrowserPage page, string email, string password)
    {
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Scanport" })).ToBeVisibleAsync();
        await page.Page.GetByLabel("Email").FillAsync(email);
        await page.Page.GetByLabel("Password").FillAsync(password);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public static ILocator Heading(BrowserPage page, string name) =>
        page.Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 1 });

    /// <summary>A project made through the platform API, as another program would.</summary>
    public static async Task<Guid> CreateProjectAsync(ScanportApp app, string token, string name, string? description = null)
    {
        using var client = app.Client(token);
        using var response = await client.PostAsJsonAsync("/platform/v1/projects", new { name, description });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating a project failed: {body}");
        return body.GetProperty("id").GetGuid();
    }
}
