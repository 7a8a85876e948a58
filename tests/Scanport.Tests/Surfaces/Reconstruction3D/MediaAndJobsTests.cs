using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Projects;
using Scanport.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>Uploads, frame extraction with ffmpeg, downloads, the jobs API and the job WebSocket, on orbit-30.mp4.</summary>
[Collection(AppCollection.Name)]
public sealed class MediaAndJobsTests(ScanportApp app)
{
    private const string Base = ReconCalls.Base;

    [Fact]
    public async Task A_video_upload_is_probed_by_content_and_its_frames_extracted_stored_listed_and_zipped()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();

        // Named .bin and sent as octet-stream: the content decides.
        var uploaded = await (await client.UploadAsync(id, ReconCalls.OrbitVideo, "capture.bin", "application/octet-stream")).Status(HttpStatusCode.OK);
        Assert.Equal("Video uploaded successfully", uploaded.GetProperty("message").GetString());
        Assert.Equal(new FileInfo(ReconCalls.OrbitVideo).Length, uploaded.GetProperty("file_size").GetInt64());
        Assert.Equal(id, uploaded.GetProperty("project_id").GetInt64());
        Assert.EndsWith("video.mp4", uploaded.GetProperty("file_path").GetString());

        // 3 s at 10 fps: one frame every 0.1 s is every frame.
        var jobId = await client.ExtractFramesAsync(id, 0.1);
        var job = await client.WaitForJobAsync(jobId);
        Assert.Equal(("completed", 100.0, "frame_extraction"), (job.GetProperty("status").GetString(), job.GetProperty("progress").GetDouble(), job.GetProperty("job_type").GetString()));
        Assert.Equal(30, job.GetProperty("result").GetProperty("total_frames").GetInt32());
        var project = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal((30, "draft"), (project.GetProperty("total_frames").GetInt32(), project.GetProperty("status").GetString()));

        var list = await (await client.GetAsync($"{Base}/files/list/{id}")).Status(HttpStatusCode.OK);
        var files = list.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(30, files.Count(f => f.GetProperty("file_type").GetString() == "frame"));
        Assert.Single(files, f => f.GetProperty("file_type").GetString() == "video");

        var zipResponse = await client.GetAsync($"{Base}/files/download/{id}/frames");
        Assert.Equal(HttpStatusCode.OK, zipResponse.StatusCode);
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType!.MediaType);
        // Downloads of what users uploaded are never rendered from the API's origin.
        Assert.Equal("attachment", zipResponse.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", zipResponse.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", zipResponse.Headers.GetValues("Content-Security-Policy").Single());
        await using var zipStream = new MemoryStream(await zipResponse.Content.ReadAsByteArrayAsync());
        using var zip = new ZipArchive(zipStream);
        Assert.Equal(30, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.StartsWith("frame_", e.Name));
        await using (var first = zip.Entries[0].Open())
        {
            var header = new byte[3];
            await first.ReadExactlyAsync(header);
            Assert.Equal([0xFF, 0xD8, 0xFF], header);
        }

        // The original comes back byte for byte, and in ranges.
        var original = await File.ReadAllBytesAsync(ReconCalls.OrbitVideo);
        Assert.Equal(original, await client.GetByteArrayAsync($"{Base}/files/download/{id}/video"));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"{Base}/files/download/{id}/video");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        var part = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{original.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(original[100..200], await part.Content.ReadAsByteArrayAsync());
        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"{Base}/files/download/{id}/video");
        beyond.Headers.Range = new RangeHeaderValue(original.Length + 10, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await client.SendAsync(beyond)).StatusCode);

        foreach (var (type, words) in new[] { ("mesh", "No mesh"), ("textured_mesh", "No textured mesh"), ("point_cloud", "No point cloud") })
            Assert.StartsWith(words, await (await client.GetAsync($"{Base}/files/download/{id}/{type}")).DetailAsync(HttpStatusCode.NotFound));
        Assert.Equal(["path.file_type"], await (await client.GetAsync($"{Base}/files/download/{id}/thumbnail")).ValidationAsync());

        var logs = await (await client.GetAsync($"{Base}/jobs/{jobId}/logs")).Status(HttpStatusCode.OK);
        Assert.Contains(logs.GetProperty("logs").EnumerateArray(), l => l.GetString()!.Contains("ffmpeg wrote 30 frames"));
    }

    [Fact]
    public async Task Wrong_formats_corrupt_videos_and_missing_fields_are_refused_and_nothing_is_stored()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();

        var text = await client.UploadBytesAsync(id, Encoding.UTF8.GetBytes("this is not a video at all, just some words"), "movie.mp4");
        Assert.Contains("Unsupported file format", await text.DetailAsync(HttpStatusCode.BadRequest));
        var playlist = await client.UploadBytesAsync(id, Encoding.UTF8.GetBytes("#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"), "clip.mp4");
        Assert.Contains("HLS", await playlist.DetailAsync(HttpStatusCode.BadRequest));
        var original = await File.ReadAllBytesAsync(ReconCalls.OrbitVideo);
        var truncated = await client.UploadBytesAsync(id, original[..(original.Length / 2)], "cut.mp4");
        Assert.Contains("cannot be used", await truncated.DetailAsync(HttpStatusCode.UnprocessableEntity));
        await (await client.UploadBytesAsync(id, [], "empty.mp4")).DetailAsync(HttpStatusCode.BadRequest);

        using (var noFile = new MultipartFormDataContent { { new StringContent(id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "project_id" } })
            Assert.Equal(["body.file"], await (await client.PostAsync($"{Base}/files/upload/video", noFile)).ValidationAsync());
        using (var badId = new MultipartFormDataContent { { new ByteArrayContent(original[..100]), "file", "a.mp4" }, { new StringContent("seven"), "project_id" } })
            Assert.Equal(["body.project_id"], await (await client.PostAsync($"{Base}/files/upload/video", badId)).ValidationAsync());
        Assert.Equal(["body.file", "body.project_id"],
            await (await client.PostAsJsonAsync($"{Base}/files/upload/video", new { project_id = id })).ValidationAsync());

        var noVideo = await client.PostAsync($"{Base}/files/extract-frames", new FormUrlEncodedContent(new Dictionary<string, string> { ["project_id"] = $"{id}", ["interval"] = "1" }));
        Assert.Contains("No video", await noVideo.DetailAsync(HttpStatusCode.BadRequest));
        Assert.Equal(["body.interval"], await (await client.PostAsync($"{Base}/files/extract-frames",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["project_id"] = $"{id}", ["interval"] = "-2" }))).ValidationAsync());
        Assert.Equal(["body.interval"], await (await client.PostAsync($"{Base}/files/extract-frames",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["project_id"] = $"{id}", ["interval"] = "often" }))).ValidationAsync());
        var notEnough = await client.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=low", null);
        Assert.Contains("at least 3", await notEnough.DetailAsync(HttpStatusCode.BadRequest));

        var files = await (await client.GetAsync($"{Base}/files/list/{id}")).Status(HttpStatusCode.OK);
        Assert.Empty(files.GetProperty("files").EnumerateArray());
        var uploads = Path.Combine(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScanportOptions>>().Value.DataDir, "tmp", "uploads");
        Assert.Empty(Directory.Exists(uploads) ? Directory.GetFiles(uploads) : []);
    }

    [Fact]
    public async Task A_multipart_upload_cut_short_is_refused_as_422_and_stores_nothing()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var broken = new StringContent($"--b\r\nContent-Disposition: form-data; name=\"project_id\"\r\n\r\n{project}\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.mp4\"\r\n\r\nnot all of a video", System.Text.Encoding.UTF8);
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var body = await (await client.PostAsync($"{ReconCalls.Base}/files/upload/video", broken)).Status(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("cut short or malformed", body.GetProperty("detail")[0].GetProperty("msg").GetString());
        var files = await (await client.GetAsync($"{ReconCalls.Base}/files/list/{project}")).Status(HttpStatusCode.OK);
        Assert.DoesNotContain("\"video\"", files.GetRawText());
    }

    [Fact]
    public async Task Photos_are_accepted_as_frames_by_their_content()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var frames = Directory.GetFiles(Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30"), "frame_*.jpg").Order().Take(3).ToList();
        foreach (var frame in frames)
        {
            var body = await (await client.UploadAsync(id, frame, Path.GetFileName(frame), "image/jpeg")).Status(HttpStatusCode.OK);
            Assert.Equal("Image uploaded successfully", body.GetProperty("message").GetString());
        }
        var project = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal(3, project.GetProperty("total_frames").GetInt32());
        var status = await (await client.GetAsync($"{Base}/projects/{id}/status")).Status(HttpStatusCode.OK);
        Assert.True(status.GetProperty("files").GetProperty("frames").GetBoolean());
        Assert.False(status.GetProperty("files").GetProperty("mesh").GetBoolean());
    }

    [Fact]
    public async Task A_video_larger_than_the_servers_general_body_limit_uploads_and_comes_back_whole()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        // About 20 MB (lossless noise): over Kestrel's 10 MiB default, under the surface's 500 MiB.
        var path = await ReconCalls.NoiseVideoAsync();
        try
        {
            var size = new FileInfo(path).Length;
            Assert.True(size > 12 * 1024 * 1024, $"{size} bytes");
            var uploaded = await (await client.UploadAsync(id, path)).Status(HttpStatusCode.OK);
            Assert.Equal(size, uploaded.GetProperty("file_size").GetInt64());
            var back = await client.GetByteArrayAsync($"{Base}/files/download/{id}/video");
            Assert.Equal(await File.ReadAllBytesAsync(path), back);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_413_before_its_body_is_read()
    {
        var small = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Surfaces:Reconstruction3D:MaxUploadBytes"] = "1048576" });
        try
        {
            var (_, client) = await small.UserAsync();
            using var _1 = client;
            var id = await client.ProjectAsync();
            var big = (await File.ReadAllBytesAsync(ReconCalls.OrbitVideo))[..(3 * 1024 * 1024)];
            var response = await client.UploadBytesAsync(id, big, "big.mp4");
            Assert.Contains("File too large", await response.DetailAsync(HttpStatusCode.RequestEntityTooLarge));

            // Without a length up front (chunked), the count stops it at the limit (a file just over it, so that the
            // server can read past the rest and answer on an open connection).
            using var form = new MultipartFormDataContent
            {
                { new StringContent($"{id}"), "project_id" },
                { new StreamContent(new MemoryStream(big[..(1024 * 1024 + 4096)])), "file", "big.mp4" },
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{ReconCalls.Base}/files/upload/video") { Content = form };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.ExpectContinue = true;
            var chunked = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
            var files = await (await client.GetAsync($"{ReconCalls.Base}/files/list/{id}")).Status(HttpStatusCode.OK);
            Assert.Empty(files.GetProperty("files").EnumerateArray());
        }
        finally
        {
            await ((IAsyncLifetime)small).DisposeAsync();
        }
    }

    [Fact]
    public async Task The_websocket_sends_a_jobs_events_in_order_with_ids_and_a_reconnecting_client_resumes()
    {
        var (username, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        await (await client.UploadAsync(id, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        long expired;
        using (var scope = app.Services.CreateScope())
        {
            // An event of the project from long ago: deleted when the project's next job ends.
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var project = await db.Projects.FirstAsync(p => p.Number == id);
            var longAgo = TimeProvider.System.GetUtcNow().AddDays(-30);
            var oldJob = new Job
            {
                OrgId = project.OrgId,
                Type = ReconJobTypes.FrameExtractionHandler,
                Queue = "frames",
                Subject = ReconJobTypes.Subject(project.Id),
                Status = JobStatus.Succeeded,
                CreatedAt = longAgo,
                FinishedAt = longAgo,
            };
            var old = new StoredJobEvent { JobId = oldJob.Id, OrgId = project.OrgId, Subject = oldJob.Subject, Type = "job_progress", CreatedAt = longAgo };
            db.AddRange(oldJob, old);
            await db.SaveChangesAsync();
            expired = old.Id;
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(WsUri($"/ws/jobs/{id}"), CancellationToken.None);
        var hello = await ReceiveAsync(socket);
        Assert.Equal("connected", hello.GetProperty("type").GetString());

        var jobId = await client.ExtractFramesAsync(id, 0.5);
        var events = new List<JsonElement>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (events.Count == 0 || events[^1].GetProperty("type").GetString() is not ("job_completed" or "job_failed"))
                events.Add(await ReceiveAsync(socket, timeout.Token));
        }
        Assert.All(events, e => Assert.Equal(jobId, e.GetProperty("job_id").GetInt64()));
        Assert.Equal("job_started", events[0].GetProperty("type").GetString());
        Assert.Equal("job_completed", events[^1].GetProperty("type").GetString());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "job_progress");
        var ids = events.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        var progress = events.Where(e => e.GetProperty("type").GetString() == "job_progress").Select(e => e.GetProperty("progress").GetInt32()).ToList();
        Assert.Equal(progress.Order(), progress);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        // Reconnecting with the token in the query and the id of the first event: the rest again, in the same order.
        using var again = new ClientWebSocket();
        await again.ConnectAsync(WsUri($"/ws/jobs/{id}?token={token}&last_event_id={ids[0]}"), CancellationToken.None);
        Assert.Equal(ids[0], (await ReceiveAsync(again)).GetProperty("last_event_id").GetInt64());
        var replayed = new List<long>();
        for (var i = 1; i < ids.Count; i++) replayed.Add((await ReceiveAsync(again)).GetProperty("id").GetInt64());
        Assert.Equal(ids[1..], replayed);
        await again.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        using (var scope = app.Services.CreateScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<StoredJobEvent>().AnyAsync(e => e.Id == expired));
        Assert.NotNull(username);
    }

    [Fact]
    public async Task The_websocket_wants_a_valid_token_and_a_project_of_the_caller()
    {
        var (_, owner) = await app.UserAsync();
        var (_, stranger) = await app.UserAsync();
        using var _1 = owner;
        using var _2 = stranger;
        var id = await owner.ProjectAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync($"/ws/jobs/{id}", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync($"/ws/jobs/{id}?token=forged.token.here", null));
        Assert.Equal(HttpStatusCode.NotFound, await HandshakeAsync($"/ws/jobs/{id}", stranger.DefaultRequestHeaders.Authorization!.Parameter));
        Assert.Equal(HttpStatusCode.NotFound, await HandshakeAsync("/ws/jobs/999999999", owner.DefaultRequestHeaders.Authorization!.Parameter));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync($"/ws/jobs/{id}", owner.DefaultRequestHeaders.Authorization!.Parameter));
    }

    [Fact]
    public async Task A_client_that_closes_at_once_gets_the_close_handshake_not_a_reset()
    {
        var (_, owner) = await app.UserAsync();
        using var _1 = owner;
        var id = await owner.ProjectAsync();
        // Closing while the server may still be sending its first message is the race that once reset the connection.
        for (var i = 0; i < 40; i++)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", owner.DefaultRequestHeaders.Authorization!.ToString());
            await socket.ConnectAsync(WsUri($"/ws/jobs/{id}"), CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            Assert.Equal(WebSocketState.Closed, socket.State);
        }
    }

    [Fact]
    public async Task The_jobs_api_lists_with_filters_and_cancels_and_a_second_job_while_one_runs_is_409()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        await (await client.UploadAsync(id, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);
        var first = await client.ExtractFramesAsync(id, 0.1);
        var second = await client.PostAsync($"{Base}/files/extract-frames", new FormUrlEncodedContent(new Dictionary<string, string> { ["project_id"] = $"{id}", ["interval"] = "1" }));
        var secondStatus = second.StatusCode;
        if (secondStatus == HttpStatusCode.Conflict) await second.DetailAsync(HttpStatusCode.Conflict);
        await client.WaitForJobAsync(first);
        // Either the first job had already finished (a fast machine) or the second start was refused.
        Assert.True(secondStatus is HttpStatusCode.Conflict or HttpStatusCode.OK, $"{secondStatus}");

        var done = await (await client.GetAsync($"{Base}/jobs?project_id={id}&status=completed&job_type=frame_extraction")).Status(HttpStatusCode.OK);
        Assert.Contains(done.EnumerateArray(), j => j.GetProperty("id").GetInt64() == first);
        Assert.Empty((await (await client.GetAsync($"{Base}/jobs?project_id={id}&job_type=reconstruction")).Status(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(["query.status"], await (await client.GetAsync($"{Base}/jobs?status=sleeping")).ValidationAsync());
        Assert.Equal(["query.job_type"], await (await client.GetAsync($"{Base}/jobs?job_type=baking")).ValidationAsync());
        Assert.Contains("already completed", await (await client.PostAsync($"{Base}/jobs/{first}/cancel", null)).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Equal("Job not found", await (await client.GetAsync($"{Base}/jobs/999999999")).DetailAsync(HttpStatusCode.NotFound));

        var summary = await (await client.GetAsync($"{Base}/jobs/project/{id}/status")).Status(HttpStatusCode.OK);
        Assert.Equal(0, summary.GetProperty("active_jobs").GetInt32());
        Assert.True(summary.GetProperty("jobs_by_status").GetProperty("completed").GetInt32() >= 1);
    }

    [Fact]
    public async Task An_extraction_left_running_by_a_killed_worker_runs_again_once_on_the_next_start()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        await (await client.UploadAsync(id, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);
        long number;
        Guid jobId;
        using (var scope = app.Services.CreateScope())
        {
            // The rows as a worker killed mid-job leaves them: running, one attempt made, its heartbeat gone stale.
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var project = await db.Projects.FirstAsync(p => p.Number == id);
            var stale = TimeProvider.System.GetUtcNow().AddMinutes(-5);
            var parameters = """{"interval":0.5,"max_frames":300}""";
            var job = new Job
            {
                OrgId = project.OrgId,
                Type = ReconJobTypes.FrameExtractionHandler,
                Queue = "frames",
                Payload = parameters,
                Subject = ReconJobTypes.Subject(project.Id),
                Status = JobStatus.Running,
                Attempts = 1,
                CreatedAt = stale,
                StartedAt = stale,
                HeartbeatAt = stale,
            };
            var recon = new ReconJob { JobId = job.Id, ProjectId = project.Id, JobType = ReconJobTypes.FrameExtraction, Parameters = parameters };
            db.AddRange(job, recon);
            await db.SaveChangesAsync();
            (number, jobId) = (recon.Number, job.Id);
        }

        await using var restarted = await app.StartAnotherNodeAsync();
        var finished = await client.WaitForJobAsync(number);
        Assert.Equal(("completed", 2), (finished.GetProperty("status").GetString(), finished.GetProperty("attempts").GetInt32()));
        var project2 = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal(6, project2.GetProperty("total_frames").GetInt32());
        await Task.Delay(1500);
        using var check = app.Services.CreateScope();
        var events = await check.ServiceProvider.GetRequiredService<ScanportDb>().Set<StoredJobEvent>()
            .Where(e => e.JobId == jobId).Select(e => e.Type).ToListAsync();
        Assert.Equal(1, events.Count(t => t == "job_started"));
        Assert.Equal(1, events.Count(t => t == "job_completed"));
        Assert.NotEqual(Guid.Empty, jobId);
    }

    private Uri WsUri(string path) => new($"ws://{app.BaseAddress.Authority}{path}");

    private async Task<HttpStatusCode> HandshakeAsync(string path, string? token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null) socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        try
        {
            await socket.ConnectAsync(WsUri(path), CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }

    internal static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }
}
