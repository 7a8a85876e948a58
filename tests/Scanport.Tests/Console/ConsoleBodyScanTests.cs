using System.Net;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Console.ConsoleBrowser;
using static Scanport.Tests.Console.ConsoleSessionCalls;

namespace Scanport.Tests.Console;

/// <summary>
/// Body scans in the console, as a person follows them: a program starts a scan for a project and posts frames while the
/// scan's page is open; the chart grows live from the status stream; Lock and Complete from the page; reviewers look only.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleBodyScanTests(ScanportApp app)
{
    [Fact]
    public async Task Frames_a_program_posts_appear_live_in_the_chart_and_the_scan_is_locked_then_completed_from_the_page()
    {
        var tenant = await app.NewTenantAsync();
        var project = await CreateProjectAsync(app, tenant.AdminToken, "Fitting room");
        var (_, secret) = await tenant.ApiKeyAsync("operator");
        await AddMemberAsync(tenant, project, (await KeyIdAsync(tenant, secret)));
        using var program = app.Client(secret);
        var scanId = await InitAsync(program, "fitting-0001", project);
        await FramesAsync(program, scanId, 0, 5);
        await using var page = await OpenAsync(app, $"/console/projects/{project}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        // The project's Body scans section lists the scan by its session id, with its status and frames.
        var scans = page.Page.GetByRole(AriaRole.List, new() { Name = "Body scans" });
        await Assertions.Expect(scans.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Assertions.Expect(scans.GetByRole(AriaRole.Listitem)).ToContainTextAsync("Active · 5 frames (4 valid)");
        await scans.GetByRole(AriaRole.Link, new() { Name = "fitting-0001", Exact = true }).ClickAsync();

        await Assertions.Expect(Heading(page, "Body scan fitting-0001")).ToBeVisibleAsync();
        var chart = page.Page.GetByTestId("frame-chart");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-frames", "5");
        await Assertions.Expect(page.Page.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "live");
        await page.Page.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        // The program goes on recording while the page is open: the chart follows, without a reload.
        await FramesAsync(program, scanId, 5, 7);
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-frames", "12");
        await (await program.PostJsonAsync("/api/scan/frames", new { scanId, frameNumber = 12, userInFrame = true, confidence = 0.95, stabilityScore = 0.9 }))
            .Status(HttpStatusCode.Created);
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-frames", "13");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the page was reloaded");
        await Assertions.Expect(page.Page.GetByTestId("scan-facts")).ToContainTextAsync("13 (11 valid, 13 with the person in frame)");
        await Assertions.Expect(chart).ToContainTextAsync("13 frames, numbers 0 to 12, 11 valid.");
        Assert.True(await page.DrawnShareAsync("[data-testid=frame-chart] canvas") > 0.005, $"the chart is blank\n{page.Log}");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Lock" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Scan locked: it takes no more frames. Complete it when you are done.");
        await Assertions.Expect(page.Page.GetByTestId("scan-status")).ToHaveAttributeAsync("data-status", "locked");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Lock" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeFocusedAsync();
        // A locked scan takes no more frames.
        await (await program.PostJsonAsync("/api/scan/frames", new { scanId, frameNumber = 13, userInFrame = true, confidence = 0.9, stabilityScore = 0.9 }))
            .Status(HttpStatusCode.Conflict);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Scan completed.");
        await Assertions.Expect(page.Page.GetByTestId("scan-status")).ToHaveAttributeAsync("data-status", "completed");
        await Assertions.Expect(page.Page.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "ended");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button)).ToHaveTextAsync(["Sign out"]);
        var status = await (await program.GetAsync($"/api/scan/status?scanId={scanId}")).Status(HttpStatusCode.OK);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(13, status.GetProperty("frameCount").GetInt32());
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "completed body scan");
    }

    [Fact]
    public async Task A_reviewer_sees_the_scan_and_its_chart_but_no_lock_or_complete()
    {
        var tenant = await app.NewTenantAsync();
        var project = await CreateProjectAsync(app, tenant.AdminToken, "Reviewed fittings");
        var (reviewerId, reviewer) = await PersonAsync(tenant, "reviewer");
        await AddMemberAsync(tenant, project, reviewerId);
        using var admin = tenant.Admin();
        var scanId = await InitAsync(admin, "fitting-0002", project);
        await FramesAsync(admin, scanId, 0, 4);
        await using var page = await OpenAsync(app, $"/console/projects/{project}/body-scans/{scanId}");

        await SignInAsync(page, reviewer, Password);

        await Assertions.Expect(Heading(page, "Body scan fitting-0002")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("frame-chart")).ToHaveAttributeAsync("data-frames", "4");
        await Assertions.Expect(page.Page.GetByTestId("scan-status")).ToHaveTextAsync("Active");
        // Once the page knows the person's role, it offers no Lock or Complete: the only button is Sign out.
        await (await page.Requests.First(r => r.Url.EndsWith("/platform/v1/me", StringComparison.Ordinal)).ResponseAsync())!.FinishedAsync();
        await page.Page.EvaluateAsync("() => new Promise(requestAnimationFrame)");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button)).ToHaveTextAsync(["Sign out"]);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "body scan");
        // The API refuses them anyway.
        using var theirs = app.Client(await app.TokenAsync(reviewer, Password));
        await (await theirs.PostJsonAsync("/api/scan/lock", new { scanId })).Status(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_project_pages_its_scans_and_an_unknown_scan_is_not_found()
    {
        var tenant = await app.NewTenantAsync();
        var project = await CreateProjectAsync(app, tenant.AdminToken, "Busy fitting room");
        using var admin = tenant.Admin();
        for (var i = 1; i <= 12; i++) await InitAsync(admin, $"fitting-{i:0000}", project);
        await using var page = await OpenAsync(app, $"/console/projects/{project}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        var scans = page.Page.GetByRole(AriaRole.List, new() { Name = "Body scans" });
        await Assertions.Expect(scans.GetByRole(AriaRole.Link)).ToHaveCountAsync(10);
        // Newest first.
        await Assertions.Expect(scans.GetByRole(AriaRole.Link).First).ToHaveTextAsync("fitting-0012");
        var pager = page.Page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of body scans" });
        await Assertions.Expect(pager).ToContainTextAsync("1–10 of 12");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with body scans");
        await pager.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(scans.GetByRole(AriaRole.Link)).ToHaveTextAsync(["fitting-0002", "fitting-0001"]);
        await Assertions.Expect(pager).ToContainTextAsync("11–12 of 12");

        await page.Page.GotoAsync(new Uri(app.BaseAddress, $"/console/projects/{project}/body-scans/{Guid.NewGuid()}").ToString());
        await Assertions.Expect(Heading(page, "Body scan not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = "Back to the project" }).First).ToBeVisibleAsync();
    }

    private static async Task<string> InitAsync(HttpClient client, string sessionId, Guid projectId) =>
        (await (await client.PostJsonAsync("/api/scan/init", new { sessionId, projectId })).Status(HttpStatusCode.Created))
            .GetProperty("scanId").GetString()!;

    /// <summary>Frames numbered from <paramref name="first"/>, one batch; every fifth one invalid (stability below the bar).</summary>
    private static async Task FramesAsync(HttpClient client, string scanId, int first, int count)
    {
        var frames = Enumerable.Range(first, count).Select(n => new
        {
            frameNumber = n,
            userInFrame = true,
            confidence = 0.6 + 0.03 * (n % 10),
            stabilityScore = n % 5 == 4 ? 0.2 : 0.85,
            iou = 0.8,
            isValid = n % 5 != 4,
        });
        await (await client.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames })).Status(HttpStatusCode.Created);
    }

    private static async Task<Guid> KeyIdAsync(Tenant tenant, string secret)
    {
        using var key = tenant.App.Client(secret);
        return (await (await key.GetAsync("/platform/v1/me")).Status(HttpStatusCode.OK)).Id();
    }
}
