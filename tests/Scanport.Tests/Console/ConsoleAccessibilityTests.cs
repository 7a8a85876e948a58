using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>Each page of the console checked with axe-core in Chromium: no serious or critical violation.</summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleAccessibilityTests(ScanportApp app)
{
    internal static async Task AssertAccessibleAsync(BrowserPage page, string name)
    {
        var results = await page.Page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})").ToList();
        Assert.True(results.Passes.Length > 0, $"axe checked nothing on the {name} page\n{page.Log}");
        Assert.True(serious.Count == 0, $"the {name} page:\n{string.Join('\n', serious)}");
    }

    [Fact]
    public async Task Every_page_has_no_serious_or_critical_axe_violation()
    {
        var tenant = await app.NewTenantAsync();
        var id = await CreateProjectAsync(app, tenant.AdminToken, "Axe check", "A project to look at");
        await using var page = await OpenAsync(app);

        await Assertions.Expect(Heading(page, "Sign in to Scanport")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "sign-in");
        await SignInAsync(page, tenant.AdminEmail, "wrong-password-1");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "sign-in with an error");

        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = "Axe check" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "projects");

        await page.Page.GetByRole(AriaRole.Link, new() { Name = "New project" }).First.ClickAsync();
        await Assertions.Expect(Heading(page, "New project")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "new project");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "new project with an error");

        await page.Page.GotoAsync(new Uri(app.BaseAddress, $"/console/projects/{id}").ToString());
        await Assertions.Expect(Heading(page, "Axe check")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "project");

        await page.Page.GotoAsync(new Uri(app.BaseAddress, $"/console/projects/{Guid.NewGuid()}").ToString());
        await Assertions.Expect(Heading(page, "Project not found")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "project not found");
    }
}
