using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Vehicle360;
using static Scanport.Tests.Console.ConsoleBrowser;
using static Scanport.Tests.Console.ConsoleSessionCalls;

namespace Scanport.Tests.Console;

/// <summary>
/// 360° sessions in the console, as a person uses them: a device's session with real photos, its thumbnails, QC badges and
/// EXIF on demand, the spin viewer turned with the keys and by dragging, Publish for reviewers, the paged list with its
/// site filter, and another organization's session not found.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleSessionTests(ScanportApp app)
{
    private const string Vin = "1HGCM82633A004352";

    [Fact]
    public async Task A_person_sees_a_device_session_its_thumbnails_qc_and_exif_and_turns_the_spin_viewer()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync("Main Studio");
        var (session, _) = await DeviceSessionAsync(tenant, site, Vin, photos: 15);
        await using var page = await OpenAsync(app, "/console/sessions");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "360° sessions")).ToBeVisibleAsync();
        var sessions = page.Page.GetByRole(AriaRole.List, new() { Name = "Sessions" });
        await Assertions.Expect(sessions.GetByRole(AriaRole.Listitem)).ToContainTextAsync("Main Studio · Studio 360° · Active · 15 images");
        await AssertAccessibleAsync(page, "360° sessions");
        await sessions.GetByRole(AriaRole.Link, new() { NameRegex = new($"^{Vin} \\(stock STK-4352\\), ") }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Heading, new() { NameRegex = new($"^{Vin}"), Level = 1 })).ToBeFocusedAsync();
        Assert.EndsWith($"/console/sessions/{session}", page.Page.Url);
        // The grid: 12 of the 15 photos, by angle, each thumbnail loaded, with its QC badges.
        var grid = page.Page.GetByRole(AriaRole.List, new() { NameRegex = new("^Images ") });
        await Assertions.Expect(grid).ToHaveAttributeAsync("aria-label", "Images 1 to 12 of 15");
        await Assertions.Expect(grid.GetByRole(AriaRole.Img)).ToHaveCountAsync(12);
        var thumbnails = grid.GetByRole(AriaRole.Img);
        for (var i = 0; i < 12; i++)
        {
            var thumbnail = thumbnails.Nth(i);
            await Assertions.Expect(thumbnail).ToHaveAttributeAsync("alt", $"Photo at {i * 24}°");
            await thumbnail.ScrollIntoViewIfNeededAsync();
            await page.WaitForAsync($"document.querySelectorAll('[data-testid=image-card] img')[{i}].naturalWidth > 0");
        }
        // Each card shows the checks the images job made, as the API reports them.
        using var admin = tenant.Admin();
        var listed = await (await admin.GetAsync($"/v1/images?session_id={session}")).Status(HttpStatusCode.OK);
        var qc = listed.GetProperty("data")[0].GetProperty("qc");
        var sharpness = qc.GetProperty("sharpness");
        var words = new Dictionary<string, string> { ["pass"] = "pass", ["warn"] = "warning", ["fail"] = "fail" };
        var first = page.Page.GetByTestId("image-card").First;
        await Assertions.Expect(first.GetByTestId("qc-badge")).ToHaveCountAsync(2);
        await Assertions.Expect(first.Locator("[data-qc=sharpness]")).ToHaveAttributeAsync("data-result", sharpness.GetProperty("status").GetString()!);
        await Assertions.Expect(first.Locator("[data-qc=sharpness]"))
            .ToHaveTextAsync($"Sharpness {words[sharpness.GetProperty("status").GetString()!]} ({Math.Round(sharpness.GetProperty("score").GetDouble(), MidpointRounding.AwayFromZero)})");
        await Assertions.Expect(first.Locator("[data-qc=exposure]"))
            .ToHaveTextAsync($"Exposure {words[qc.GetProperty("exposure").GetProperty("status").GetString()!]}");

        // EXIF on demand: one request for that image, its figures shown.
        Assert.DoesNotContain(page.Requests, r => r.Url.Contains("/v1/images/", StringComparison.Ordinal));
        var exif = page.Page.GetByRole(AriaRole.Button, new() { Name = "EXIF of Photo at 24°" });
        await exif.ClickAsync();
        await Assertions.Expect(exif).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Page.Locator("dl.exif dt")).ToHaveTextAsync(["ISO", "Shutter", "Aperture", "Taken", "Size"]);
        await Assertions.Expect(page.Page.Locator("dl.exif dd")).ToHaveTextAsync(new Regex[] { new("^200$"), new("^1/250$"), new("^f/1.8$"), new("2025"), new("^640 × 480 px$") });
        Assert.Single(page.Requests, r => r.Url.Contains("/v1/images/", StringComparison.Ordinal));

        // The grid's second page.
        await page.Page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of images" }).GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(grid).ToHaveAttributeAsync("aria-label", "Images 13 to 15 of 15");
        await Assertions.Expect(grid.GetByRole(AriaRole.Img)).ToHaveCountAsync(3);
        await Assertions.Expect(grid.GetByRole(AriaRole.Img).First).ToHaveAttributeAsync("alt", "Photo at 288°");

        // The spin viewer: every photo as a frame, drawn; the arrow keys turn it one frame (24°) at a time.
        var spin = page.Page.GetByTestId("spin-viewer");
        await Assertions.Expect(spin).ToHaveAttributeAsync("data-state", "ready");
        await Assertions.Expect(spin).ToHaveAttributeAsync("data-frame", "0");
        await spin.ScrollIntoViewIfNeededAsync();
        Assert.True(await page.DrawnShareAsync("[data-testid=spin-viewer] canvas") > 0.2, $"the spin viewer is blank\n{page.Log}");
        await spin.FocusAsync();
        await page.Page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(spin).ToHaveAttributeAsync("data-frame", "24");
        await page.Page.Keyboard.PressAsync("ArrowLeft");
        await page.Page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(spin).ToHaveAttributeAsync("data-frame", "336");
        await Assertions.Expect(spin).ToHaveAttributeAsync("aria-valuetext", "336°, frame 15 of 15");
        await page.Page.Keyboard.PressAsync("Home");
        await Assertions.Expect(spin).ToHaveAttributeAsync("data-frame", "0");

        // Dragging to the right turns it forward, about once round across the viewer.
        var box = (await spin.BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 4, box.Y + box.Height / 2);
        await page.Page.Mouse.MoveAsync(x, y);
        await page.Page.Mouse.DownAsync();
        // 5.5 frames' worth of pixels (a frame per fifteenth of the width): five frames on.
        await page.Page.Mouse.MoveAsync(x + box.Width * 5.5f / 15, y, new() { Steps = 10 });
        await page.Page.Mouse.UpAsync();
        await Assertions.Expect(spin).ToHaveAttributeAsync("data-frame", "120");
        Assert.True(await page.DrawnShareAsync("[data-testid=spin-viewer] canvas") > 0.2, $"the spin viewer is blank after turning\n{page.Log}");
        await AssertAccessibleAsync(page, "360° session");
    }

    [Fact]
    public async Task A_reviewer_publishes_an_image_and_an_operator_is_not_offered_publish()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync("Dock 2");
        var (session, images) = await DeviceSessionAsync(tenant, site, Vin, photos: 2);
        var (_, reviewer) = await PersonAsync(tenant, "reviewer", site);
        var (_, operatorEmail) = await PersonAsync(tenant, "operator", site);

        await using (var page = await OpenAsync(app, $"/console/sessions/{session}"))
        {
            await SignInAsync(page, operatorEmail, Password);
            await Assertions.Expect(page.Page.GetByTestId("image-card")).ToHaveCountAsync(2);
            await (await page.Requests.First(r => r.Url.EndsWith("/platform/v1/me", StringComparison.Ordinal)).ResponseAsync())!.FinishedAsync();
            await page.Page.EvaluateAsync("() => new Promise(requestAnimationFrame)");
            await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "EXIF of Photo at 0°" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Publish") })).ToHaveCountAsync(0);
        }

        await using var theirs = await OpenAsync(app, $"/console/sessions/{session}");
        await SignInAsync(theirs, reviewer, Password);
        var publish = theirs.Page.GetByRole(AriaRole.Button, new() { Name = "Publish Photo at 180°" });
        await publish.ClickAsync();

        await Assertions.Expect(theirs.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Photo at 180° published.");
        await Assertions.Expect(theirs.Page.GetByTestId("image-card").Nth(1)).ToHaveAttributeAsync("data-status", "published");
        await Assertions.Expect(publish).ToHaveCountAsync(0);
        await Assertions.Expect(theirs.Page.GetByRole(AriaRole.Button, new() { Name = "Publish Photo at 0°" })).ToBeVisibleAsync();
        using var admin = tenant.Admin();
        var image = await (await admin.GetAsync($"/v1/images/{images[1]}")).Status(HttpStatusCode.OK);
        Assert.Equal("published", image.GetProperty("status").GetString());
        Assert.Equal("processed", (await (await admin.GetAsync($"/v1/images/{images[0]}")).Status(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_list_pages_twenty_at_a_time_and_filters_by_site()
    {
        var tenant = await app.NewTenantAsync();
        var north = await tenant.SiteAsync("North lot");
        var south = await tenant.SiteAsync("South lot");
        using var admin = tenant.Admin();
        for (var i = 0; i < 23; i++) await admin.CreateSessionAsync(north, vin: null, stock: $"N-{i:00}");
        await admin.CreateSessionAsync(south, vin: null, stock: "S-01");
        await using var page = await OpenAsync(app, "/console/sessions");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        var sessions = page.Page.GetByRole(AriaRole.List, new() { Name = "Sessions" });
        var pager = page.Page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of sessions" });
        await Assertions.Expect(sessions.GetByRole(AriaRole.Link)).ToHaveCountAsync(20);
        await Assertions.Expect(pager).ToContainTextAsync("1–20 of 24");
        // Newest first.
        await Assertions.Expect(sessions.GetByRole(AriaRole.Link).First).ToContainTextAsync("Stock S-01, ");
        await pager.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(pager).ToContainTextAsync("21–24 of 24");
        await Assertions.Expect(sessions.GetByRole(AriaRole.Link)).ToHaveCountAsync(4);
        await Assertions.Expect(sessions.GetByRole(AriaRole.Link).Last).ToContainTextAsync("Stock N-00, ");
        Assert.EndsWith("/console/sessions?offset=20", page.Page.Url);
        await Assertions.Expect(pager.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeDisabledAsync();

        await page.Page.GetByLabel("Site").SelectOptionAsync(new SelectOptionValue { Label = "South lot" });
        await Assertions.Expect(sessions.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
        await Assertions.Expect(sessions.GetByRole(AriaRole.Listitem)).ToContainTextAsync("South lot · Studio 360° · Active · 0 images");
        await Assertions.Expect(pager).ToContainTextAsync("1–1 of 1");
        Assert.EndsWith($"/console/sessions?site_id={south}", page.Page.Url);
        await page.Page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Complete" });
        await Assertions.Expect(page.Page.GetByText("No sessions match these filters.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Another_organizations_session_is_not_found_and_not_listed()
    {
        var theirs = await app.NewTenantAsync();
        using var other = theirs.Admin();
        var session = (await other.CreateSessionAsync(await theirs.SiteAsync(), vin: null, stock: "THEIRS-1")).Id();
        var tenant = await app.NewTenantAsync();
        await using var page = await OpenAsync(app, $"/console/sessions/{session}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Session not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("There is no session with this address that you can see.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "session not found");
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Back to the sessions" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByText("No sessions yet")).ToBeVisibleAsync();
        Assert.DoesNotContain("THEIRS-1", await page.Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static Task AssertAccessibleAsync(BrowserPage page, string name) => ConsoleAccessibilityTests.AssertAccessibleAsync(page, name);
}
