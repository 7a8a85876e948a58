using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using static Scanport.Tests.Surfaces.Aps.ModelDerivativeCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// Scanport's model viewer (<c>/aps/viewer/{urn}#token=...</c>) opened in headless Chromium as a person would: a translated
/// IFC and OBJ drawn on the canvas, the object tree beside it, properties on a click in the tree or on the model, a
/// distance measured between two clicks, fit to view; and a clear error state for a refused token or an unknown URN.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ViewerTests(ScanportApp app)
{
    private static readonly ConcurrentDictionary<(ScanportApp, string), Lazy<Task<Translated>>> Models = new();

    private sealed record Translated(ModelDerivativeCalls Md, string Urn);

    /// <summary>Each sample translated once per app (SVF2, 2D and 3D views), through APS's Node client as a program would.</summary>
    private Task<Translated> TranslatedAsync(string model) => Models.GetOrAdd((app, model), _ => new Lazy<Task<Translated>>(async () =>
    {
        var md = await CreateAsync(app);
        // The OBJ with its materials file, zipped (an OBJ names its .mtl beside it).
        var obj = model.EndsWith(".obj", StringComparison.Ordinal);
        var urn = obj ? await md.StoreZipAsync(Path.ChangeExtension(model, ".zip"), "", model, Path.ChangeExtension(model, ".mtl")) : await md.StoreModelAsync(model);
        var (report, _) = await md.SdkAsync(urn, ["job", "wait"], obj ? Job(urn, compressed: true, root: model) : Job(urn));
        Assert.True(report.GetProperty("manifest").GetProperty("status").GetString() == "success", report.ToString());
        return new Translated(md, urn);
    })).Value;

    private async Task<BrowserPage> OpenAsync(string urn, string? token)
    {
        var page = await Chromium.OpenAsync();
        await page.Page.GotoAsync($"{app.BaseAddress}aps/viewer/{urn}" + (token is null ? "" : $"#token={Uri.EscapeDataString(token)}"));
        await page.WaitForAsync("window.scanportViewer && window.scanportViewer.state !== 'loading'");
        return page;
    }

    private static async Task<BrowserPage> AssertReadyAsync(Task<BrowserPage> opening)
    {
        var page = await opening;
        var state = await page.Page.EvaluateAsync<string>("window.scanportViewer.state + ': ' + window.scanportViewer.error");
        Assert.True(state.StartsWith("ready", StringComparison.Ordinal), $"{state}\n{page.Log}");
        return page;
    }

    private static Task<JsonElement> StateAsync(BrowserPage page) => page.Page.EvaluateAsync<JsonElement>("JSON.parse(JSON.stringify(window.scanportViewer))");

    [Fact]
    public async Task An_ifc_opens_drawn_with_its_spatial_tree_and_a_tree_click_shows_the_objects_properties()
    {
        var (md, urn) = await TranslatedAsync("cabin-ifc4.ifc");
        await using var page = await AssertReadyAsync(OpenAsync(urn, md.Token));

        var drawn = await page.DrawnShareAsync("#canvas");
        Assert.True(drawn > 0.02, $"the canvas is blank ({drawn:P2} drawn)\n{page.Log}");
        // The tree nests as the file does: Project → Site → Building → Storey → elements.
        var storey = page.Page.Locator("#tree li:has(> button:text-is('Cabin Project')) > ul > li:has(> button:text-is('Lakeside Site')) "
            + "> ul > li:has(> button:text-is('Cabin')) > ul > li:has(> button:text-is('Ground Floor'))");
        await Assertions.Expect(storey).ToHaveCountAsync(1);
        await Assertions.Expect(storey.Locator("button:text-is('North Wall')")).ToHaveCountAsync(1);
        var state = await StateAsync(page);
        var (views, properties) = await MetadataAsync(md, urn);
        Assert.Equal(CountObjects(views.GetProperty("data").GetProperty("objects")), state.GetProperty("objects").GetInt32());

        await page.Page.Locator("#tree button:text-is('North Wall')").ClickAsync();

        var wallId = Named(views, "North Wall").GetProperty("objectid").GetInt32();
        var globalId = PropertiesOf(properties, wallId).GetProperty("externalId").GetString()!;
        await Assertions.Expect(page.Page.Locator("#properties [data-field='externalId']")).ToHaveTextAsync(globalId);
        await Assertions.Expect(page.Page.Locator("#properties")).ToContainTextAsync("IfcWall");
        await Assertions.Expect(page.Page.Locator($"#tree button[data-objectid='{wallId}']")).ToHaveAttributeAsync("aria-selected", "true");
        state = await StateAsync(page);
        Assert.Equal(wallId, state.GetProperty("selected").GetProperty("objectid").GetInt32());
        Assert.Equal(globalId, state.GetProperty("selected").GetProperty("externalId").GetString());
        // The token came in the fragment: it left the address bar, and no request carried it in its URL.
        Assert.DoesNotContain("token", page.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(page.Requests, r => r.Url.Contains(md.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_obj_opens_and_a_click_on_the_model_selects_the_object_under_it()
    {
        var (md, urn) = await TranslatedAsync("house.obj");
        await using var page = await AssertReadyAsync(OpenAsync(urn, md.Token));
        Assert.True(await page.DrawnShareAsync("#canvas") > 0.02, page.Log);
        await Assertions.Expect(page.Page.Locator("#tree button:text-is('Walls')")).ToHaveCountAsync(1);

        await page.Page.Locator("#canvas").ClickAsync();

        await page.WaitForAsync("window.scanportViewer.selected && window.scanportViewer.selected.name");
        var selected = (await StateAsync(page)).GetProperty("selected");
        var objectId = selected.GetProperty("objectid").GetInt32();
        Assert.True(objectId > 1, selected.ToString());
        await Assertions.Expect(page.Page.Locator($"#tree button[data-objectid='{objectId}']")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Page.Locator("#properties h2")).ToHaveTextAsync(selected.GetProperty("name").GetString()!);
        Assert.True(selected.GetProperty("properties").TryGetProperty("Geometry", out _), selected.ToString());
    }

    [Fact]
    public async Task Two_clicks_in_measure_mode_show_the_distance_between_them()
    {
        var (md, urn) = await TranslatedAsync("house.obj");
        await using var page = await AssertReadyAsync(OpenAsync(urn, md.Token));
        var canvas = page.Page.Locator("#canvas");
        var box = (await canvas.BoundingBoxAsync())!;

        await page.Page.Locator("#measure").ClickAsync();
        await canvas.ClickAsync(new LocatorClickOptions { Position = new Position { X = box.Width / 2 - 40, Y = box.Height / 2 } });
        await canvas.ClickAsync(new LocatorClickOptions { Position = new Position { X = box.Width / 2 + 40, Y = box.Height / 2 + 20 } });

        await page.WaitForAsync("window.scanportViewer.measurement && window.scanportViewer.measurement.distance > 0");
        var measurement = (await StateAsync(page)).GetProperty("measurement");
        var points = measurement.GetProperty("points").EnumerateArray().Select(p => p.EnumerateArray().Select(c => c.GetDouble()).ToArray()).ToArray();
        var expected = Math.Sqrt(points[0].Zip(points[1], (a, b) => (a - b) * (a - b)).Sum());
        Assert.Equal(expected, measurement.GetProperty("distance").GetDouble(), 6);
        // The house spans 2 units: two points on it are less than its diagonal apart.
        Assert.InRange(expected, 0.01, Math.Sqrt(12));
        await Assertions.Expect(page.Page.Locator("#status")).ToContainTextAsync("Distance:");
        Assert.Equal(JsonValueKind.Null, (await StateAsync(page)).GetProperty("selected").ValueKind);
    }

    [Fact]
    public async Task Fit_to_view_brings_the_whole_model_back_after_zooming_away()
    {
        var (md, urn) = await TranslatedAsync("house.obj");
        await using var page = await AssertReadyAsync(OpenAsync(urn, md.Token));
        await page.Page.EvaluateAsync("window.fitted = window.scanportViewer.camera.position");
        const string AtFitted = "window.scanportViewer.camera.position.every((c, i) => Math.abs(c - window.fitted[i]) < 1e-3)";
        var before = await page.DrawnShareAsync("#canvas");

        await page.Page.Locator("#canvas").HoverAsync();
        for (var i = 0; i < 6; i++) await page.Page.Mouse.WheelAsync(0, 600);
        await page.WaitForAsync($"!({AtFitted})");
        var away = await page.DrawnShareAsync("#canvas");
        await page.Page.Locator("#fit").ClickAsync();

        await page.WaitForAsync($"{AtFitted} && window.scanportViewer.fits === 2");
        var after = await page.DrawnShareAsync("#canvas");
        Assert.True(away < before, $"zooming out did not shrink the model ({away:P2} vs {before:P2})");
        Assert.InRange(after, before * 0.9, before * 1.1);
    }

    [Theory]
    [InlineData("cabin-ifc4.ifc")]
    [InlineData("house.obj")]
    public async Task A_viewables_read_token_shows_the_model_and_the_same_tree_from_the_gltfs_nodes(string model)
    {
        var (md, urn) = await TranslatedAsync(model);
        // viewables:read reads manifests and derivatives but not Model Derivative's metadata (data:read), as at APS.
        await using var page = await AssertReadyAsync(OpenAsync(urn, await md.TokenAsync("viewables:read")));
        Assert.True(await page.DrawnShareAsync("#canvas") > 0.02, page.Log);

        var shown = await page.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('#tree button')].map(b => b.dataset.objectid + ' ' + b.textContent)");
        var (tree, _) = await MetadataAsync(md, urn);
        Assert.Equal(Objects(tree).Select(o => $"{o.GetProperty("objectid").GetInt32()} {o.GetProperty("name").GetString()}"), shown);
        await Assertions.Expect(page.Page.Locator("#status")).ToContainTextAsync("need a token with data:read");

        var last = page.Page.Locator("#tree button").Last;
        await last.ClickAsync();

        await Assertions.Expect(page.Page.Locator("#properties h2")).ToHaveTextAsync((await last.TextContentAsync())!);
        Assert.Equal(int.Parse((await last.GetAttributeAsync("data-objectid"))!, System.Globalization.CultureInfo.InvariantCulture),
            (await StateAsync(page)).GetProperty("selected").GetProperty("objectid").GetInt32());
    }

    [Fact]
    public async Task A_refused_token_shows_an_error_not_a_blank_page()
    {
        var (_, urn) = await TranslatedAsync("house.obj");
        await using var page = await OpenAsync(urn, "not-a-token");

        Assert.Equal("error", await page.Page.EvaluateAsync<string>("window.scanportViewer.state"));
        await Assertions.Expect(page.Page.Locator("body")).ToHaveAttributeAsync("data-state", "error");
        await Assertions.Expect(page.Page.Locator("#status")).ToContainTextAsync("The token was refused");
    }

    [Fact]
    public async Task A_page_without_a_token_says_how_to_give_one()
    {
        var (_, urn) = await TranslatedAsync("house.obj");
        await using var page = await OpenAsync(urn, null);

        await Assertions.Expect(page.Page.Locator("#status")).ToContainTextAsync("No token");
        Assert.Equal("error", await page.Page.EvaluateAsync<string>("window.scanportViewer.state"));
    }

    [Theory]
    [InlineData("dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6bm8tc3VjaC1idWNrZXQvbm8tc3VjaC5pZmM")] // urn:adsk.objects:os.object:no-such-bucket/no-such.ifc
    [InlineData("not-a-urn")]
    public async Task An_unknown_urn_shows_an_error(string urn)
    {
        var md = await CreateAsync(app);
        await using var page = await OpenAsync(urn, md.Token);

        Assert.Equal("error", await page.Page.EvaluateAsync<string>("window.scanportViewer.state"));
        await Assertions.Expect(page.Page.Locator("#status")).ToContainTextAsync("The model could not be loaded");
    }

    [Fact]
    public async Task Another_organizations_model_is_an_error_as_if_it_did_not_exist()
    {
        var (_, urn) = await TranslatedAsync("house.obj");
        var stranger = await CreateAsync(app);
        await using var page = await OpenAsync(urn, stranger.Token);

        Assert.Equal("error", await page.Page.EvaluateAsync<string>("window.scanportViewer.state"));
        await Assertions.Expect(page.Page.Locator("#status")).ToContainTextAsync("404");
    }

    [Fact]
    public async Task The_page_is_anonymous_with_a_strict_policy_and_no_referrer()
    {
        using var client = app.Client();
        using var response = await client.GetAsync("/aps/viewer/dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6Yi9h");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("connect-src 'self' blob:", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        var scripts = Assert.Single(policy, p => p.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Matches("^script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'$", scripts);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6Yi9h", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Theory]
    [InlineData("viewer.js", "text/javascript")]
    [InlineData("three/build/three.module.js", "text/javascript")]
    [InlineData("three/examples/jsm/loaders/GLTFLoader.js", "text/javascript")]
    [InlineData("viewer.css", "text/css")]
    public async Task The_pages_files_are_served_from_the_app_itself(string path, string type)
    {
        using var client = app.Client();
        using var response = await client.GetAsync($"/aps/viewer/assets/{path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.ETag is not null);
    }

    [Theory]
    [InlineData("..%2F..%2FScanport.dll")]
    [InlineData("three%2F..%2F..%2Fappsettings.json")]
    [InlineData("three")]
    [InlineData("nothing.js")]
    public async Task Anything_else_under_the_assets_is_not_found(string path)
    {
        using var client = app.Client();
        using var response = await client.GetAsync($"/aps/viewer/assets/{path}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<(JsonElement Tree, JsonElement Properties)> MetadataAsync(ModelDerivativeCalls md, string urn)
    {
        using var client = md.App.Client(md.Token);
        var root = $"/modelderivative/v2/designdata/{urn}/metadata";
        var views = JsonDocument.Parse(await client.GetStringAsync(root)).RootElement;
        var guid = views.GetProperty("data").GetProperty("metadata")[0].GetProperty("guid").GetString();
        var tree = JsonDocument.Parse(await client.GetStringAsync($"{root}/{guid}")).RootElement;
        var properties = JsonDocument.Parse(await client.GetStringAsync($"{root}/{guid}/properties")).RootElement;
        return (tree, properties);
    }

    private static int CountObjects(JsonElement objects) =>
        objects.EnumerateArray().Sum(o => 1 + (o.TryGetProperty("objects", out var children) ? CountObjects(children) : 0));
}
