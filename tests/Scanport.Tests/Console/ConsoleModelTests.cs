using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using Scanport.Tests.Surfaces.ApsIntegration;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>
/// The project page's Models section and the model page in Chromium, as a person uses them: a design file uploaded and
/// translated by a program through the APS integration API, its status becoming Ready without a reload, the model drawn
/// with its object tree and an object's properties; an upload through the page, a type refused in words, a failed
/// translation's reason, another organization's model not found; axe checks.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleModelTests(ScanportApp app)
{
    /// <summary>Three named objects (OBJ groups), so the object tree has several.</summary>
    internal static readonly byte[] Tower = Encoding.ASCII.GetBytes("""
        # A block, a slab on it and a mast: three named groups.
        v 0 0 0
        v 2 0 0
        v 2 0 2
        v 0 0 2
        v 0 1 0
        v 2 1 0
        v 2 1 2
        v 0 1 2
        v 0.5 1 0.5
        v 1.5 1 0.5
        v 1.5 1 1.5
        v 0.5 1 1.5
        v 0.5 1.3 0.5
        v 1.5 1.3 0.5
        v 1.5 1.3 1.5
        v 0.5 1.3 1.5
        v 1 3 1
        g Base
        f 1 2 6 5
        f 2 3 7 6
        f 3 4 8 7
        f 4 1 5 8
        f 5 6 7 8
        g Slab
        f 9 10 14 13
        f 10 11 15 14
        f 11 12 16 15
        f 12 9 13 16
        f 13 14 15 16
        g Mast
        f 13 14 17
        f 14 15 17
        f 15 16 17
        f 16 13 17

        """);

    private static readonly LocatorAssertionsToHaveAttributeOptions Translated = new() { Timeout = 180_000 };

    private static ILocator Model(BrowserPage page, string name) =>
        page.Page.GetByTestId("model").Filter(new() { Has = page.Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    /// <summary>A platform project and its number on the APS integration API.</summary>
    private async Task<(Guid Id, long Number)> ProjectAsync(Tenant tenant, string name)
    {
        var id = await CreateProjectAsync(app, tenant.AdminToken, name);
        using var api = tenant.Admin();
        var project = await api.GetFromJsonAsync<JsonElement>($"/platform/v1/projects/{id}");
        return (id, project.GetProperty("number").GetInt64());
    }

    private async Task<BrowserPage> SignedInAtAsync(Tenant tenant, string path, string heading)
    {
        var page = await OpenAsync(app, path);
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, heading)).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task A_programs_model_becomes_ready_without_a_reload_and_opens_drawn_with_its_tree_and_properties()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, number) = await ProjectAsync(tenant, "Tower survey");
        using var program = tenant.Admin();
        var file = await (await program.UploadAsync(number, Tower, "Tower.obj")).Status(HttpStatusCode.Created);
        await using var page = await SignedInAtAsync(tenant, $"/console/projects/{projectId}", "Tower survey");
        var model = Model(page, "Tower.obj");
        await Assertions.Expect(model).ToHaveAttributeAsync("data-status", "uploaded");
        await Assertions.Expect(model).ToContainTextAsync("Uploaded, not translated yet");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with a model");

        await (await program.PostAsJsonAsync($"{ApsiCalls.Base}/aps/translate", new { urn = file.Text("urn") })).Status(HttpStatusCode.Accepted);

        await Assertions.Expect(model).ToHaveAttributeAsync("data-status", "ready", Translated);
        await Assertions.Expect(model).ToContainTextAsync("Ready");
        await model.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(Heading(page, "Tower.obj")).ToBeVisibleAsync();
        Assert.EndsWith($"/console/projects/{projectId}/models/aps-{file.Number()}", page.Page.Url, StringComparison.Ordinal);
        var viewer = page.Page.GetByTestId("model-viewer");
        await Assertions.Expect(viewer).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Page.GetByTestId("model-status")).ToHaveAttributeAsync("data-status", "ready");
        var drawn = await page.DrawnShareAsync("[data-testid=model-viewer] canvas");
        Assert.True(drawn > 0.02, $"the canvas is blank ({drawn:P2} drawn)\n{page.Log}");
        var tree = page.Page.GetByRole(AriaRole.Tree, new() { Name = "Objects of the model" });
        foreach (var name in new[] { "Base", "Slab", "Mast" })
            await Assertions.Expect(tree.GetByRole(AriaRole.Treeitem, new() { Name = name, Exact = true })).ToHaveCountAsync(1);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "model");

        var mast = tree.GetByRole(AriaRole.Treeitem, new() { Name = "Mast", Exact = true });
        await mast.ClickAsync();

        await Assertions.Expect(mast).ToHaveAttributeAsync("aria-selected", "true");
        var properties = page.Page.GetByRole(AriaRole.Region, new() { Name = "Properties" });
        await Assertions.Expect(properties.GetByRole(AriaRole.Heading, new() { Name = "Mast", Level = 3 })).ToBeVisibleAsync();
        await Assertions.Expect(properties).ToContainTextAsync("Geometry");
        await Assertions.Expect(viewer).ToHaveAttributeAsync("data-selected", await mast.GetAttributeAsync("data-objectid") ?? "");
        // Every object of the tree is counted, the model's root included (a model this small opens whole).
        var items = tree.GetByRole(AriaRole.Treeitem);
        var objects = await items.CountAsync();
        Assert.True(objects >= 4, $"{objects} objects in the tree");
        await Assertions.Expect(viewer).ToHaveAttributeAsync("data-objects", objects.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The tree from the keyboard alone, one Tab stop: Home, Down to Slab, Enter selects it; Left on the root closes it,
        // Right opens it again and moves in.
        var slab = tree.GetByRole(AriaRole.Treeitem, new() { Name = "Slab", Exact = true });
        Assert.Equal(1, await tree.Locator("[tabindex='0']").CountAsync());
        await mast.FocusAsync();
        await page.Page.Keyboard.PressAsync("Home");
        var root = items.First;
        await Assertions.Expect(root).ToBeFocusedAsync();
        await Assertions.Expect(root).ToHaveAttributeAsync("aria-level", "1");
        await Assertions.Expect(root).ToHaveAttributeAsync("aria-expanded", "true");
        for (var i = 0; i < 5 && !await slab.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(slab).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(slab).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(mast).ToHaveAttributeAsync("aria-selected", "false");
        await Assertions.Expect(properties.GetByRole(AriaRole.Heading, new() { Name = "Slab", Level = 3 })).ToBeVisibleAsync();
        await page.Page.Keyboard.PressAsync("Home");
        await page.Page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(root).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(items).ToHaveCountAsync(1);
        await page.Page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(items).ToHaveCountAsync(objects);
        await page.Page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(items.Nth(1)).ToBeFocusedAsync();
        await Assertions.Expect(items.Nth(1)).ToHaveAttributeAsync("aria-level", "2");
        // Zoomed far away the model shrinks; Fit to view frames it whole again.
        var canvas = "[data-testid=model-viewer] canvas";
        var fitted = await page.DrawnShareAsync(canvas);
        await page.Page.Locator(canvas).HoverAsync();
        for (var i = 0; i < 6; i++) await page.Page.Mouse.WheelAsync(0, 600);
        await page.Page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        var away = await page.DrawnShareAsync(canvas);
        Assert.True(away < fitted / 2, $"zooming out left {away:P2} drawn of {fitted:P2}\n{page.Log}");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Fit to view" }).ClickAsync();
        await Assertions.Expect(viewer).ToHaveAttributeAsync("data-fits", "1");
        Assert.InRange(await page.DrawnShareAsync(canvas), fitted * 0.8, fitted * 1.25);
    }

    [Fact]
    public async Task A_person_uploads_a_design_file_through_the_page_and_sees_it_appear_and_translate()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, _) = await ProjectAsync(tenant, "Uploads");
        await using var page = await SignedInAtAsync(tenant, $"/console/projects/{projectId}", "Uploads");
        await Assertions.Expect(page.Page.GetByText("No models yet")).ToBeVisibleAsync();

        await page.Page.GetByLabel("Design file").SetInputFilesAsync(new FilePayload { Name = "Tower.obj", MimeType = "model/obj", Buffer = Tower });
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Upload design" }).ClickAsync();

        await Assertions.Expect(page.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "uploaded" }))
            .ToHaveTextAsync("Tower.obj uploaded; its translation has started.");
        var model = Model(page, "Tower.obj");
        await Assertions.Expect(model).ToHaveCountAsync(1);
        await Assertions.Expect(model).ToHaveAttributeAsync("data-status", "ready", Translated);
        await Assertions.Expect(page.Page.GetByText("No models yet")).ToHaveCountAsync(0);
        // What the page uploaded is the project's file on the APS integration API, translated.
        using var api = tenant.Admin();
        var number = (await api.GetFromJsonAsync<JsonElement>($"/platform/v1/projects/{projectId}")).GetProperty("number").GetInt64();
        var files = await api.GetFromJsonAsync<JsonElement>($"{ApsiCalls.Base}/files?project_id={number}");
        var only = Assert.Single(files.GetProperty("items").EnumerateArray());
        Assert.Equal("Tower.obj", only.Text("original_filename"));
        Assert.Equal("ready", only.Text("status"));
    }

    [Fact]
    public async Task A_type_that_cannot_be_translated_is_refused_in_words_and_nothing_is_listed()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, _) = await ProjectAsync(tenant, "Refusals");
        await using var page = await SignedInAtAsync(tenant, $"/console/projects/{projectId}", "Refusals");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Upload design" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Choose a design file to upload first.");
        await page.Page.GetByLabel("Design file").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hola mundo"u8.ToArray() });
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Upload design" }).ClickAsync();

        var alert = page.Page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("notes.txt was not uploaded: File type 'txt' is not supported; supported:");
        await Assertions.Expect(alert).ToContainTextAsync("Choose a design file of one of the supported types.");
        await Assertions.Expect(page.Page.GetByText("No models yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("model")).ToHaveCountAsync(0);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with an upload refused");
    }

    [Fact]
    public async Task A_failed_translation_shows_its_reason_on_the_list_and_the_model_page()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, number) = await ProjectAsync(tenant, "Broken files");
        using var program = tenant.Admin();
        var file = await (await program.UploadAsync(number, "ISO-10303-21;\nTHIS IS NOT AN IFC MODEL\n"u8.ToArray(), "roto.ifc")).Status(HttpStatusCode.Created);
        await (await program.PostAsJsonAsync($"{ApsiCalls.Base}/aps/translate", new { urn = file.Text("urn") })).Status(HttpStatusCode.Accepted);
        var failed = await program.WaitForFileAsync(file.Number());
        Assert.Equal("failed", failed.Text("status"));
        await using var page = await SignedInAtAsync(tenant, $"/console/projects/{projectId}", "Broken files");

        var model = Model(page, "roto.ifc");
        await Assertions.Expect(model).ToHaveAttributeAsync("data-status", "failed");
        await Assertions.Expect(model).ToContainTextAsync("Translation failed");
        await model.GetByRole(AriaRole.Link).ClickAsync();

        await Assertions.Expect(Heading(page, "roto.ifc")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("model-status")).ToHaveAttributeAsync("data-status", "failed");
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"The translation failed: {failed.Text("error")}");
        await Assertions.Expect(page.Page.GetByTestId("model-viewer")).ToHaveCountAsync(0);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "model with a failed translation");
    }

    [Fact]
    public async Task Another_organizations_member_sees_model_not_found()
    {
        var owner = await app.NewTenantAsync();
        var (projectId, number) = await ProjectAsync(owner, "Private tower");
        using var program = owner.Admin();
        var file = await (await program.UploadAsync(number, Tower, "Tower.obj")).Status(HttpStatusCode.Created);
        var stranger = await app.NewTenantAsync();

        await using var page = await SignedInAtAsync(stranger, $"/console/projects/{projectId}/models/aps-{file.Number()}", "Model not found");

        await Assertions.Expect(page.Page.GetByText("There is no model with this address that you can see.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("Tower.obj")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Page.GetByTestId("model-viewer")).ToHaveCountAsync(0);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "model not found");
    }
}
