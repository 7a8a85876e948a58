using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Scanport.Tests.Browser;
using Scanport.Tests.Surfaces.Reconstruction3D;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>
/// A project's reconstructions in the console, as a person works with them: a video uploaded through the page with its
/// progress bar, frames extracted and the job watched live on its page, outputs downloaded through their links, photos
/// counted, a reconstruction started and cancelled, a refusal said in words, another organization's job not found.
/// COLMAP is never waited for: the reconstruction is cancelled while it runs.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleReconstructionTests(ScanportApp app)
{
    private static string Frame(int i) => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", $"frame_{i:D3}.jpg");

    private async Task<(BrowserPage Page, Guid Id, long Number)> ProjectPageAsync(Tenant tenant, string name)
    {
        var id = await CreateProjectAsync(app, tenant.AdminToken, name);
        using var api = tenant.Admin();
        var number = (await api.GetFromJsonAsync<JsonElement>($"/platform/v1/projects/{id}")).GetProperty("number").GetInt64();
        var page = await OpenAsync(app, $"/console/projects/{id}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, name)).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("recon-status")).ToHaveAttributeAsync("data-status", "draft");
        return (page, id, number);
    }

    [Fact]
    public async Task A_person_uploads_the_video_extracts_frames_watches_the_job_live_and_downloads_the_outputs()
    {
        var tenant = await app.NewTenantAsync();
        var (page, id, _) = await ProjectPageAsync(tenant, "Orbit video");
        await using var _page = page;
        var p = page.Page;
        var video = ReconCalls.OrbitVideo;
        var size = new FileInfo(video).Length;

        await p.GetByLabel("Video or photos", new() { Exact = true }).SetInputFilesAsync(video);
        await p.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        await Assertions.Expect(p.GetByRole(AriaRole.Status)).ToHaveTextAsync("Video orbit-30.mp4 uploaded (3.4 MB).");
        var progress = p.GetByLabel("Upload progress");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-sent", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-total", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(size, await progress.EvaluateAsync<long>("e => e.value"));
        Assert.Equal(size, await progress.EvaluateAsync<long>("e => e.max"));
        var videoLink = p.GetByRole(AriaRole.Link, new() { Name = "Download video" });
        await Assertions.Expect(videoLink).ToBeVisibleAsync();
        await Assertions.Expect(p.GetByTestId("recon-status")).ToContainTextAsync("orbit-30.mp4");

        // The link is the file: a presigned URL read without the token.
        var download = await p.RunAndWaitForDownloadAsync(() => videoLink.ClickAsync());
        Assert.Equal("orbit-30.mp4", download.SuggestedFilename);
        Assert.Equal(await File.ReadAllBytesAsync(video), await File.ReadAllBytesAsync((await download.PathAsync())!));

        await p.GetByLabel("Interval (seconds)").FillAsync("0.5");
        await p.GetByRole(AriaRole.Button, new() { Name = "Extract frames" }).ClickAsync();
        var started = p.GetByRole(AriaRole.Status).Filter(new() { HasText = "Frame extraction" });
        await Assertions.Expect(started).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Frame extraction \d+ started\.$"));
        var jobNumber = (await started.TextContentAsync())!.Split(' ')[2];
        var link = p.GetByRole(AriaRole.Link, new() { Name = $"Frame extraction {jobNumber}", Exact = true });
        await link.ClickAsync();

        await Assertions.Expect(Heading(page, $"Frame extraction {jobNumber}")).ToBeVisibleAsync();
        Assert.EndsWith($"/console/projects/{id}/jobs/{jobNumber}", p.Url, StringComparison.Ordinal);
        var job = p.GetByTestId("job");
        await Assertions.Expect(job).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 120_000 });
        // The job's events came over the WebSocket (its history replayed, then live), not only from polling.
        Assert.True(int.Parse((await job.GetAttributeAsync("data-events"))!, System.Globalization.CultureInfo.InvariantCulture) >= 2, page.Log);
        await Assertions.Expect(job).ToHaveAttributeAsync("data-progress", "100");
        await Assertions.Expect(p.GetByTestId("job-status")).ToHaveTextAsync("completed");
        Assert.Equal(100, await p.GetByLabel("Progress", new() { Exact = true }).EvaluateAsync<double>("e => e.value"));
        await Assertions.Expect(p.GetByTestId("job-logs")).ToContainTextAsync("ffmpeg wrote 6 frames");
        await Assertions.Expect(p.GetByTestId("job-frames")).ToHaveTextAsync("6 frames extracted.");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "job");

        var zip = await p.RunAndWaitForDownloadAsync(() => p.GetByRole(AriaRole.Button, new() { Name = "Download frames (zip)" }).ClickAsync());
        using (var archive = await ZipFile.OpenReadAsync((await zip.PathAsync())!))
            Assert.Equal(6, archive.Entries.Count(e => e.Name.EndsWith(".jpg", StringComparison.Ordinal)));

        await p.GetByRole(AriaRole.Link, new() { Name = "Orbit video" }).ClickAsync();
        await Assertions.Expect(p.GetByTestId("recon-frames")).ToHaveTextAsync("6");
        await Assertions.Expect(p.Locator($"[data-testid=recon-jobs] tr[data-job='{jobNumber}']")).ToHaveAttributeAsync("data-status", "completed");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with reconstructions");
    }

    [Fact]
    public async Task A_reconstruction_started_from_the_page_is_refused_a_second_time_in_words_and_cancelled_live()
    {
        var tenant = await app.NewTenantAsync();
        var (page, _, number) = await ProjectPageAsync(tenant, "Orbit reconstruction");
        await using var _page = page;
        var p = page.Page;
        // Frames arranged through the API, as a program would.
        using (var api = tenant.Admin())
        {
            (await api.UploadAsync(number, ReconCalls.OrbitVideo)).EnsureSuccessStatusCode();
            // 30 frames: COLMAP takes tens of seconds on them, so the job is still running when it is cancelled.
            await api.WaitForJobAsync(await api.ExtractFramesAsync(number, 0.1));
        }
        await p.ReloadAsync();
        await Assertions.Expect(p.GetByTestId("recon-frames")).ToHaveTextAsync("30");

        await p.GetByLabel("Quality").SelectOptionAsync("low");
        await p.GetByRole(AriaRole.Button, new() { Name = "Start reconstruction" }).ClickAsync();
        var started = p.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reconstruction" });
        await Assertions.Expect(started).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Reconstruction \d+ started\.$"));
        var jobNumber = (await started.TextContentAsync())!.Split(' ')[1];
        await Assertions.Expect(p.GetByTestId("recon-status")).ToHaveAttributeAsync("data-status", "processing");

        await p.GetByRole(AriaRole.Button, new() { Name = "Start reconstruction" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "The reconstruction was not started: A reconstruction of this project is already running. Wait for the job to finish, or cancel it below, then try again.");

        await p.GetByRole(AriaRole.Link, new() { Name = $"Reconstruction {jobNumber}", Exact = true }).ClickAsync();
        await Assertions.Expect(Heading(page, $"Reconstruction {jobNumber}")).ToBeVisibleAsync();
        var job = p.GetByTestId("job");
        await Assertions.Expect(job).ToHaveAttributeAsync("data-live", "live");
        await Assertions.Expect(p.GetByText("quality low", new() { Exact = true })).ToBeVisibleAsync();
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "running job");
        await p.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Assertions.Expect(job).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 60_000 });
        await Assertions.Expect(p.GetByTestId("job-status")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(p.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToHaveCountAsync(0);
        using var check = tenant.Admin();
        var stored = await check.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobNumber}");
        Assert.Equal("cancelled", stored.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Photos_uploaded_through_the_page_are_counted_as_frames()
    {
        var tenant = await app.NewTenantAsync();
        var (page, _, _) = await ProjectPageAsync(tenant, "Orbit photos");
        await using var _page = page;
        var p = page.Page;
        var photos = Enumerable.Range(0, 4).Select(Frame).ToArray();

        await p.GetByLabel("Video or photos", new() { Exact = true }).SetInputFilesAsync(photos);
        await p.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        await Assertions.Expect(p.GetByRole(AriaRole.Status)).ToHaveTextAsync("4 photos uploaded.");
        await Assertions.Expect(p.GetByTestId("recon-frames")).ToHaveTextAsync("4");
        var total = photos.Sum(f => new FileInfo(f).Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(p.GetByLabel("Upload progress")).ToHaveAttributeAsync("data-sent", total);
        await Assertions.Expect(p.GetByRole(AriaRole.Button, new() { Name = "Download frames (zip)" })).ToBeVisibleAsync();

        // The same photos chosen again (a batch resumed after a failure) are not sent twice.
        await p.GetByLabel("Video or photos", new() { Exact = true }).SetInputFilesAsync(photos);
        await p.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Status)).ToHaveTextAsync("4 photos uploaded (4 already sent before, skipped).");
        await Assertions.Expect(p.GetByTestId("recon-frames")).ToHaveTextAsync("4");
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with photos");
    }

    [Fact]
    public async Task A_batch_of_photos_cut_off_midway_is_said_in_words_and_resumed_by_Retry_upload()
    {
        var tenant = await app.NewTenantAsync();
        var (page, _, _) = await ProjectPageAsync(tenant, "Orbit photos, resumed");
        await using var _page = page;
        var p = page.Page;
        var photos = Enumerable.Range(0, 4).Select(Frame).ToArray();
        // The third upload request is cut off by the network; the others go through.
        var uploads = 0;
        await p.RouteAsync("**/api/v1/files/upload/video", async route =>
        {
            if (Interlocked.Increment(ref uploads) == 3) await route.AbortAsync("connectionreset");
            else await route.ContinueAsync();
        });

        await p.GetByLabel("Video or photos", new() { Exact = true }).SetInputFilesAsync(photos);
        await p.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        await Assertions.Expect(p.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "The upload of frame_002.jpg (photo 3 of 4) stopped: the connection broke off during the upload: check your connection and choose Retry upload. Photos already stored are not sent again.");
        await p.GetByRole(AriaRole.Button, new() { Name = "Retry upload" }).ClickAsync();

        await Assertions.Expect(p.GetByRole(AriaRole.Status)).ToHaveTextAsync("4 photos uploaded (2 already sent before, skipped).");
        await Assertions.Expect(p.GetByTestId("recon-frames")).ToHaveTextAsync("4");
        Assert.Equal(5, Volatile.Read(ref uploads));
        await Assertions.Expect(p.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_large_video_cut_off_twice_resumes_from_the_last_stored_part_by_Retry_upload_and_after_a_reload()
    {
        var tenant = await app.NewTenantAsync();
        var (page, _, number) = await ProjectPageAsync(tenant, "Orbit video, resumed");
        await using var _page = page;
        var p = page.Page;
        var video = await ReconCalls.NoiseVideoAsync();
        try
        {
            var size = new FileInfo(video).Length;
            const long part = 8L * 1024 * 1024;
            Assert.True(size > 2 * part, $"{size} bytes: the test needs three parts");
            // The network drops every PATCH that carries the part at cutAt (tus-js-client's own retries included),
            // until the test lets it through; what went through is recorded by offset.
            var cutAt = part;
            var passed = new System.Collections.Concurrent.ConcurrentQueue<long>();
            var cut = new System.Collections.Concurrent.ConcurrentQueue<long>();
            var creations = 0;
            await p.RouteAsync("**/api/v1/files/uploads**", async route =>
            {
                var request = route.Request;
                if (request.Method == "POST" && !request.Url.EndsWith("/complete", StringComparison.Ordinal)) Interlocked.Increment(ref creations);
                if (request.Method != "PATCH")
                {
                    await route.ContinueAsync();
                    return;
                }
                var offset = long.Parse(request.Headers["upload-offset"], System.Globalization.CultureInfo.InvariantCulture);
                if (offset == Interlocked.Read(ref cutAt))
                {
                    cut.Enqueue(offset);
                    await route.AbortAsync("connectionreset");
                }
                else
                {
                    passed.Enqueue(offset);
                    await route.ContinueAsync();
                }
            });
            var name = Path.GetFileName(video);
            var stoppedText = $"The upload of {name} stopped: the connection broke off during the upload: check your connection and choose Retry upload.";
            var progress = p.GetByLabel("Upload progress");

            await p.GetByLabel("Video or photos", new() { Exact = true }).SetInputFilesAsync(video);
            await p.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
            await Assertions.Expect(p.GetByRole(AriaRole.Alert)).ToHaveTextAsync(stoppedText, new() { Timeout = 60_000 });
            await Assertions.Expect(progress).ToHaveAttributeAsync("data-sent", part.ToString(System.Globalization.CultureInfo.InvariantCulture));

            // Retry: the second part goes, the third is cut, and while tus-js-client is still retrying the tab is reloaded.
            Interlocked.Exchange(ref cutAt, 2 * part);
            await p.GetByRole(AriaRole.Button, new() { Name = "Retry upload" }).ClickAsync();
            for (var i = 0; i < 600 && !cut.Contains(2 * part); i++) await Task.Delay(100);
            Assert.Contains(2 * part, cut);
            await p.ReloadAsync();
            await Assertions.Expect(Heading(page, "Orbit video, resumed")).ToBeVisibleAsync();

            // The same file chosen again: the upload carries on from the third part.
            Interlocked.Exchange(ref cutAt, -1);
            await p.GetByLabel("Video or photos", new() { Exact = true }).SetInputFilesAsync(video);
            await p.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
            await Assertions.Expect(p.GetByRole(AriaRole.Status)).ToHaveTextAsync(
                new System.Text.RegularExpressions.Regex($@"^Video {System.Text.RegularExpressions.Regex.Escape(name)} uploaded \(\d+\.\d MB\)\.$"), new() { Timeout = 60_000 });
            await Assertions.Expect(progress).ToHaveAttributeAsync("data-sent", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(p.GetByRole(AriaRole.Link, new() { Name = "Download video" })).ToBeVisibleAsync();

            // One upload, each part through once: nothing was sent again from the start.
            Assert.Equal(1, Volatile.Read(ref creations));
            Assert.Equal([0, part, 2 * part], passed.ToArray());
            using var api = tenant.Admin();
            var stored = await api.GetByteArrayAsync($"{ReconCalls.Base}/files/download/{number}/video");
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(video)), System.Security.Cryptography.SHA256.HashData(stored));
        }
        finally
        {
            File.Delete(video);
        }
    }

    [Fact]
    public async Task When_the_job_socket_drops_the_pages_poll_and_still_follow_the_job_to_its_end()
    {
        var tenant = await app.NewTenantAsync();
        var (page, _, number) = await ProjectPageAsync(tenant, "Orbit without a socket");
        await using var _page = page;
        var p = page.Page;
        using (var api = tenant.Admin()) (await api.UploadAsync(number, ReconCalls.OrbitVideo)).EnsureSuccessStatusCode();
        // Every job socket the page opens from now on is closed by the network at once.
        var dropped = 0;
        await p.RouteWebSocketAsync("**/ws/jobs/**", async socket =>
        {
            Interlocked.Increment(ref dropped);
            await socket.CloseAsync(new() { Code = 1011, Reason = "dropped by the test" });
        });
        await p.ReloadAsync();
        var section = p.GetByTestId("reconstructions");
        await Assertions.Expect(section).ToHaveAttributeAsync("data-live", "polling");
        await Assertions.Expect(section).ToContainTextAsync("Live updates are interrupted: the page checks every few seconds.");

        await p.GetByRole(AriaRole.Button, new() { Name = "Extract frames" }).ClickAsync();
        var started = p.GetByRole(AriaRole.Status).Filter(new() { HasText = "Frame extraction" });
        await Assertions.Expect(started).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Frame extraction \d+ started\.$"));
        var jobNumber = (await started.TextContentAsync())!.Split(' ')[2];
        await Assertions.Expect(p.Locator($"[data-testid=recon-jobs] tr[data-job='{jobNumber}']")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 120_000 });
        await Assertions.Expect(p.GetByTestId("recon-frames")).ToHaveTextAsync("3");

        await p.GetByRole(AriaRole.Link, new() { Name = $"Frame extraction {jobNumber}", Exact = true }).ClickAsync();
        await Assertions.Expect(p.GetByTestId("job")).ToHaveAttributeAsync("data-status", "completed");
        await Assertions.Expect(p.GetByTestId("job-logs")).ToContainTextAsync("ffmpeg wrote 3 frames");
        await Assertions.Expect(p.GetByTestId("job-frames")).ToHaveTextAsync("3 frames extracted.");
        Assert.Equal("0", await p.GetByTestId("job").GetAttributeAsync("data-events"));
        Assert.True(Volatile.Read(ref dropped) >= 2, $"the pages opened {dropped} sockets");
    }

    [Fact]
    public async Task Frames_asked_of_a_project_without_a_video_are_refused_in_words()
    {
        var tenant = await app.NewTenantAsync();
        var (page, _, _) = await ProjectPageAsync(tenant, "No video yet");
        await using var _page = page;
        var p = page.Page;

        await p.GetByLabel("Interval (seconds)").FillAsync("0");
        await p.GetByRole(AriaRole.Button, new() { Name = "Extract frames" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The interval must be a number of seconds between 0.01 and 3600.");
        await Assertions.Expect(p.GetByLabel("Interval (seconds)")).ToHaveAttributeAsync("aria-invalid", "true");

        await p.GetByLabel("Interval (seconds)").FillAsync("1");
        await p.GetByRole(AriaRole.Button, new() { Name = "Extract frames" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The frames were not extracted: No video uploaded for this project: upload one first.");

        await p.GetByRole(AriaRole.Button, new() { Name = "Start reconstruction" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Alert).Filter(new() { HasText = "reconstruction" })).ToHaveTextAsync(
            "The reconstruction was not started: The project has 0 frames; a reconstruction needs at least 3: upload a video and extract its frames, or upload photos.");
        await Assertions.Expect(p.GetByText("No jobs yet")).ToBeVisibleAsync();
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "project with refusals");
    }

    [Fact]
    public async Task Another_organizations_member_sees_neither_the_project_nor_its_job()
    {
        var owner = await app.NewTenantAsync();
        var id = await CreateProjectAsync(app, owner.AdminToken, "Not yours");
        long jobNumber;
        using (var api = owner.Admin())
        {
            var number = (await api.GetFromJsonAsync<JsonElement>($"/platform/v1/projects/{id}")).GetProperty("number").GetInt64();
            (await api.UploadAsync(number, ReconCalls.OrbitVideo)).EnsureSuccessStatusCode();
            jobNumber = await api.ExtractFramesAsync(number, 1);
            await api.WaitForJobAsync(jobNumber);
        }
        var stranger = await app.NewTenantAsync();
        await using var page = await OpenAsync(app, $"/console/projects/{id}/jobs/{jobNumber}");
        await SignInAsync(page, stranger.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Job not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByText("There is no job with this address that you can see.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("job")).ToHaveCountAsync(0);
        await ConsoleAccessibilityTests.AssertAccessibleAsync(page, "job not found");

        await page.Page.GotoAsync(new Uri(app.BaseAddress, $"/console/projects/{id}").ToString());
        await Assertions.Expect(Heading(page, "Project not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("reconstructions")).ToHaveCountAsync(0);
    }
}
