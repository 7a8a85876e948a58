using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using static Scanport.Tests.Console.ConsoleBrowser;
using static Scanport.Tests.Console.ConsolePointCloudSnapshots;

namespace Scanport.Tests.Console;

/// <summary>
/// Point clouds in the console, as a person sees them: the project page's section with each snapshot's link and live
/// status, the point-cloud page's header facts, and the viewer decoding the whole file (LAZ with laz-perf in a worker,
/// LAS) into a drawn canvas. Snapshots are uploaded as a ScanAce device or program does.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsolePointCloudTests(ScanportApp app)
{
    private const string Viewer = "[data-testid=point-cloud-viewer]";

    [Fact]
    public async Task A_LAZ_snapshot_appears_live_on_the_project_page_and_its_viewer_draws_every_point()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, objectId) = await CloudProjectAsync(tenant, "Autzen survey");
        var snapshotId = await SnapshotAsync(tenant, objectId, "Autzen stadium");
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        var section = page.Page.GetByRole(AriaRole.Region, new() { Name = "Point clouds" });
        var item = section.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.Page.GetByRole(AriaRole.Link, new() { Name = "Autzen stadium" }) });
        await Assertions.Expect(item).ToContainTextAsync("ScanAce snapshot · Waiting for upload");

        var ready = await UploadAsync(tenant, snapshotId, await SharedCloudAsync("autzen_trim.laz"), "autzen.laz");

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var count = ready.GetProperty("point_cloud").GetProperty("point_count").GetInt64();
        Assert.Equal(110_000, count);
        // The page follows the status by itself: no reload.
        await Assertions.Expect(item).ToContainTextAsync("ScanAce snapshot · Ready", new() { Timeout = 30_000 });
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "ready");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with point clouds");

        await item.GetByRole(AriaRole.Link, new() { Name = "Autzen stadium" }).ClickAsync();

        await Assertions.Expect(Heading(page, "Autzen stadium")).ToBeVisibleAsync();
        Assert.EndsWith($"/console/projects/{projectId}/point-clouds/{snapshotId}", page.Page.Url);
        var facts = page.Page.Locator("dl.facts");
        await Assertions.Expect(facts).ToContainTextAsync("Status Ready");
        await Assertions.Expect(facts).ToContainTextAsync("Points 110,000");
        await Assertions.Expect(facts).ToContainTextAsync("LAS version 1.2");
        await Assertions.Expect(facts).ToContainTextAsync("Compressed Yes (LAZ)");
        await Assertions.Expect(facts).ToContainTextAsync("Bounds x 636,001.76 to");
        await AssertAllPointsDrawnAsync(page, count);
        await Assertions.Expect(page.Page.Locator(Viewer)).ToContainTextAsync("110,000 points loaded.");
        Assert.True(await page.Page.EvaluateAsync<bool>(
            "() => performance.getEntriesByName('pointcloud:first-points').length === 1 && performance.getEntriesByName('pointcloud:all-points').length === 1"));

        // Another colour mode redraws the same points in other colours.
        var colourBy = page.Page.GetByLabel("Colour by");
        await Assertions.Expect(colourBy).ToHaveValueAsync("rgb");
        var before = await page.Page.Locator($"{Viewer} canvas").ScreenshotAsync();
        await colourBy.SelectOptionAsync(new SelectOptionValue { Label = "Classification" });
        await page.WaitForAsync($"document.querySelector('{Viewer} select').value === 'classification'");
        await AssertRedrawnAsync(page, before);
        Assert.True(await page.DrawnShareAsync($"{Viewer} canvas") > 0.05, page.Log);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Measure" }).ClickAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Measure" })).ToHaveAttributeAsync("aria-pressed", "true");
        var said = page.Page.Locator(Viewer).GetByRole(AriaRole.Status);
        await Assertions.Expect(said).ToHaveTextAsync("Measuring: click a first point in the view.");
        var canvas = page.Page.Locator($"{Viewer} canvas");
        var box = (await canvas.BoundingBoxAsync())!;
        await canvas.ClickAsync(new() { Position = new() { X = box.Width / 2, Y = box.Height / 2 } });
        await Assertions.Expect(said).ToHaveTextAsync("First point picked: click a second point.");
        await canvas.ClickAsync(new() { Position = new() { X = box.Width / 2 + 60, Y = box.Height / 2 + 30 } });
        // In the file's own unit, as ingestion read it from the file's CRS.
        var unit = ready.GetProperty("point_cloud").GetProperty("crs").GetProperty("units").GetString() switch
        {
            "metre" => "m",
            "foot" => "ft",
            "US survey foot" => "US survey ft",
            var other => other,
        };
        await Assertions.Expect(said).ToHaveTextAsync(new Regex($@"^Distance: [0-9,]+(\.[0-9]+)? {Regex.Escape(unit!)}\.$"));
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "point cloud");
    }

    [Fact]
    public async Task A_LAZ_file_cut_short_after_its_header_shows_the_viewer_error_in_words()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, objectId) = await CloudProjectAsync(tenant, "Cut upload");
        var snapshotId = await SnapshotAsync(tenant, objectId, "Cut cloud");
        var bytes = await SharedCloudAsync("autzen_trim.laz");
        // Ingestion reads the header, which is whole; the points and LAZ's chunk table are cut off.
        var ready = await UploadAsync(tenant, snapshotId, bytes[..(bytes.Length * 6 / 10)], "cut.laz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}/point-clouds/{snapshotId}");

        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await page.WaitForAsync($"document.querySelector('{Viewer}')?.dataset.state === 'error'");
        var viewer = page.Page.Locator(Viewer);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "The LAZ file could not be opened: it is damaged or uses a compression this viewer does not read.");
        Assert.Equal("110000", await viewer.GetAttributeAsync("data-points-total"));
        Assert.Equal("0", await viewer.GetAttributeAsync("data-points-loaded"));
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Measure" })).ToBeDisabledAsync();
    }

    [Fact]
    public async Task A_LAS_snapshot_is_decoded_and_drawn_too()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, objectId) = await CloudProjectAsync(tenant, "Autzen LAS");
        var snapshotId = await SnapshotAsync(tenant, objectId, "Autzen uncompressed");
        var ready = await UploadAsync(tenant, snapshotId, await SharedCloudAsync("autzen_trim.las"), "autzen.las");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}/point-clouds/{snapshotId}");

        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Autzen uncompressed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.Locator("dl.facts")).ToContainTextAsync("Compressed No (LAS)");
        await AssertAllPointsDrawnAsync(page, ready.GetProperty("point_cloud").GetProperty("point_count").GetInt64());

        // The view moves from the keyboard too: Tab reaches it after Measure, and arrow keys pan.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Measure" }).FocusAsync();
        await page.Page.Keyboard.PressAsync("Tab");
        var view = page.Page.GetByRole(AriaRole.Application, new() { Name = "Point cloud view" });
        await Assertions.Expect(view).ToBeFocusedAsync();
        var before = await page.Page.Locator($"{Viewer} canvas").ScreenshotAsync();
        for (var i = 0; i < 5; i++) await page.Page.Keyboard.PressAsync("ArrowLeft");
        await AssertRedrawnAsync(page, before);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "LAS point cloud");
    }

    [Fact]
    public async Task A_snapshot_whose_file_is_not_a_point_cloud_says_why_it_failed_and_shows_no_viewer()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, objectId) = await CloudProjectAsync(tenant, "Wrong upload");
        var snapshotId = await SnapshotAsync(tenant, objectId, "Holiday photos");
        var failed = await UploadAsync(tenant, snapshotId, "this is not a point cloud, just some text"u8.ToArray(), "photos.laz");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        var link = page.Page.GetByRole(AriaRole.Link, new() { Name = "Holiday photos" });
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Listitem).Filter(new() { Has = link })).ToContainTextAsync("Failed");

        await link.ClickAsync();

        await Assertions.Expect(Heading(page, "Holiday photos")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.Locator("dl.facts")).ToContainTextAsync("Status Failed");
        var alert = page.Page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("This point cloud could not be read: " + failed.GetProperty("failure_reason").GetString());
        await Assertions.Expect(alert).ToContainTextAsync("Upload a LAS or LAZ file to a new snapshot.");
        await Assertions.Expect(page.Page.Locator(Viewer)).ToHaveCountAsync(0);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "failed point cloud");
    }

    [Fact]
    public async Task A_member_of_another_organization_sees_not_found_and_is_refused_the_files_url()
    {
        var owner = await app.NewTenantAsync();
        var (projectId, objectId) = await CloudProjectAsync(owner, "Private survey");
        var snapshotId = await SnapshotAsync(owner, objectId, "Private cloud");
        await UploadAsync(owner, snapshotId, await SharedCloudAsync("autzen_trim.laz"), "private.laz");
        var stranger = await app.NewTenantAsync();
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}/point-clouds/{snapshotId}");

        await SignInAsync(page, stranger.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Point cloud not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("There is no point cloud with this address that you can see.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.Locator(Viewer)).ToHaveCountAsync(0);
        Assert.DoesNotContain(page.Requests, r => r.Url.Contains("/url", StringComparison.Ordinal));
        using var client = stranger.Admin();
        await (await client.GetAsync($"/platform/v1/projects/{projectId}/files/{snapshotId}/url")).Status(HttpStatusCode.NotFound);
        // The owner is given the URL: the refusal is about who asks.
        using var ownerClient = owner.Admin();
        var url = await (await ownerClient.GetAsync($"/platform/v1/projects/{projectId}/files/{snapshotId}/url")).Status(HttpStatusCode.OK);
        Assert.Equal("Private cloud.laz", url.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_project_without_point_clouds_says_so_in_words()
    {
        var tenant = await app.NewTenantAsync();
        var (projectId, _) = await CloudProjectAsync(tenant, "Empty survey");
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}");

        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        var section = page.Page.GetByRole(AriaRole.Region, new() { Name = "Point clouds" });
        await Assertions.Expect(section).ToContainTextAsync("No point clouds yet");
        await Assertions.Expect(section.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_reconstructions_PLY_point_cloud_opens_drawn_with_the_facts_the_file_gives()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await CreateProjectAsync(app, tenant.AdminToken, "Reconstructed cloud");
        const int count = 20_000;
        // Stored and recorded where a reconstruction's job leaves its point cloud (COLMAP itself is the reconstruction tests').
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var files = scope.ServiceProvider.GetRequiredService<Scanport.Surfaces.Reconstruction3D.ProjectFiles>();
            var db = scope.ServiceProvider.GetRequiredService<Scanport.Data.ScanportDb>();
            var key = files.Output(projectId, "point_cloud.ply");
            await files.PutAsync(key, new MemoryStream(ColouredSpherePly(count)), "application/vnd.ply", CancellationToken.None);
            var recon = await db.Set<Scanport.Surfaces.Reconstruction3D.ReconProject>().FirstOrDefaultAsync(r => r.ProjectId == projectId);
            if (recon is null) db.Add(recon = new Scanport.Surfaces.Reconstruction3D.ReconProject { ProjectId = projectId });
            (recon.PointCloudKey, recon.UpdatedAt) = (key, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        var section = page.Page.GetByRole(AriaRole.Region, new() { Name = "Point clouds" });
        var item = section.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.Page.GetByRole(AriaRole.Link, new() { Name = "Point cloud", Exact = true }) });
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "ready");

        await item.GetByRole(AriaRole.Link, new() { Name = "Point cloud", Exact = true }).ClickAsync();

        await Assertions.Expect(Heading(page, "Point cloud")).ToBeVisibleAsync();
        await AssertAllPointsDrawnAsync(page, count);
        var facts = page.Page.Locator("dl.facts");
        await Assertions.Expect(facts).ToContainTextAsync("Points 20,000");
        await Assertions.Expect(page.Page.GetByLabel("Colour by")).ToHaveValueAsync("rgb");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "PLY point cloud");
    }

    /// <summary>A binary PLY of points on a unit sphere, coloured by position, as COLMAP writes its fused clouds (float xyz, uchar rgb).</summary>
    private static byte[] ColouredSpherePly(int count)
    {
        var header = System.Text.Encoding.ASCII.GetBytes(
            $"ply\nformat binary_little_endian 1.0\nelement vertex {count}\nproperty float x\nproperty float y\nproperty float z\n" +
            "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n");
        var bytes = new byte[header.Length + count * 15];
        header.CopyTo(bytes, 0);
        var random = new Random(7);
        for (var i = 0; i < count; i++)
        {
            var (u, v) = (random.NextDouble() * 2 * Math.PI, Math.Acos(2 * random.NextDouble() - 1));
            float x = (float)(Math.Sin(v) * Math.Cos(u)), y = (float)(Math.Sin(v) * Math.Sin(u)), z = (float)Math.Cos(v);
            var at = bytes.AsSpan(header.Length + i * 15);
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(at, x);
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(at[4..], y);
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(at[8..], z);
            (at[12], at[13], at[14]) = ((byte)((x + 1) * 127), (byte)((y + 1) * 127), (byte)((z + 1) * 127));
        }
        return bytes;
    }

    private static async Task AssertAllPointsDrawnAsync(BrowserPage page, long count)
    {
        await page.WaitForAsync($"document.querySelector('{Viewer}')?.dataset.state === 'ready' || document.querySelector('{Viewer}')?.dataset.state === 'error'");
        var viewer = page.Page.Locator(Viewer);
        Assert.True(await viewer.GetAttributeAsync("data-state") == "ready", $"{await viewer.InnerTextAsync()}\n{page.Log}");
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), await viewer.GetAttributeAsync("data-points-total"));
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), await viewer.GetAttributeAsync("data-points-loaded"));
        Assert.True(await page.DrawnShareAsync($"{Viewer} canvas") > 0.05, $"the canvas is nearly blank\n{page.Log}");
    }

    /// <summary>The canvas shows something else than <paramref name="before"/> (a redraw is a frame away).</summary>
    private static async Task AssertRedrawnAsync(BrowserPage page, byte[] before)
    {
        for (var i = 0; i < 50; i++)
        {
            if (!(await page.Page.Locator($"{Viewer} canvas").ScreenshotAsync()).AsSpan().SequenceEqual(before)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"the canvas looks the same after the colour mode changed\n{page.Log}");
    }
}
