using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Reconstruction.Colmap;
using Scanport.Tests.Reconstruction;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>
/// orbit-30.mp4 through the whole API with Debian's COLMAP: upload, frames, reconstruction, downloads, and the
/// WebSocket's events; and a reconstruction cancelled mid-run. With the other COLMAP tests, alone (COLMAP takes every core).
/// </summary>
[Collection(OrbitReconstruction.Collection)]
public sealed class ReconstructionPipelineTests(ScanportApp app) : IClassFixture<ScanportApp>
{
    private const string Base = ReconCalls.Base;

    [Fact]
    public async Task A_video_goes_to_frames_to_a_colmap_point_cloud_and_meshes_with_live_events()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync("orbit-30");
        await (await client.UploadAsync(id, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);
        await client.WaitForJobAsync(await client.ExtractFramesAsync(id, 0.1));

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {client.DefaultRequestHeaders.Authorization!.Parameter}");
        await socket.ConnectAsync(new Uri($"ws://{app.BaseAddress.Authority}/ws/jobs/{id}"), CancellationToken.None);
        Assert.Equal("connected", (await MediaAndJobsTests.ReceiveAsync(socket)).GetProperty("type").GetString());

        var started = await (await client.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=low", null)).Status(HttpStatusCode.OK);
        var jobId = started.GetProperty("job_id").GetInt64();
        var again = await client.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=low", null);
        Assert.Contains("already running", await again.DetailAsync(HttpStatusCode.Conflict));
        var processing = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal("processing", processing.GetProperty("status").GetString());

        var events = new List<JsonElement>();
        while (events.Count == 0 || events[^1].GetProperty("type").GetString() is not ("job_completed" or "job_failed"))
            events.Add(await MediaAndJobsTests.ReceiveAsync(socket));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var job = await client.WaitForJobAsync(jobId);
        Assert.True(job.GetProperty("status").GetString() == "completed", $"{job}");

        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal("job_started", types[0]);
        Assert.Equal("job_completed", types[^1]);
        Assert.All(types[1..^1], t => Assert.Equal("job_progress", t));
        var stages = events.Where(e => e.GetProperty("type").GetString() == "job_progress").Select(e => e.GetProperty("stage").GetString()).Distinct().ToList();
        Assert.Contains("feature_extraction", stages);
        Assert.Contains("feature_matching", stages);
        Assert.Contains("sparse_reconstruction", stages);
        Assert.Contains("meshing", stages);

        var project = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal("completed", project.GetProperty("status").GetString());
        Assert.Equal(30, project.GetProperty("total_frames").GetInt32());
        Assert.InRange(project.GetProperty("processed_frames").GetInt32(), 24, 30);
        Assert.InRange(project.GetProperty("reconstruction_quality").GetDouble(), 0.3, 1.0);
        Assert.True(project.GetProperty("processing_time").GetDouble() > 0);

        var cloud = await client.GetByteArrayAsync($"{Base}/files/download/{id}/point_cloud");
        var path = Path.Combine(Path.GetTempPath(), $"scanport-cloud-{Guid.NewGuid():N}.ply");
        await File.WriteAllBytesAsync(path, cloud);
        try
        {
            var ply = PlyFile.Read(path);
            Assert.True(ply.Vertices.Length > 500, $"{ply.Vertices.Length} points");
            Assert.All(ply.Vertices.Take(50), v => Assert.True(float.IsFinite(v.X) && float.IsFinite(v.Y) && float.IsFinite(v.Z)));
        }
        finally
        {
            File.Delete(path);
        }
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync($"{Base}/files/download/{id}/mesh"));
        try
        {
            var (vertices, faces) = PlyFile.Counts(path);
            Assert.True(vertices > 100 && faces > 100, $"mesh of {vertices} vertices and {faces} faces");
        }
        finally
        {
            File.Delete(path);
        }
        var glb = await client.GetByteArrayAsync($"{Base}/files/download/{id}/textured_mesh");
        Assert.Equal("glTF", System.Text.Encoding.ASCII.GetString(glb, 0, 4));

        var logs = await (await client.GetAsync($"{Base}/jobs/{jobId}/logs")).Status(HttpStatusCode.OK);
        var lines = logs.GetProperty("logs").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains(lines, l => l.Contains("feature_extractor", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("registered", StringComparison.Ordinal));
        var result = job.GetProperty("result");
        Assert.Equal(project.GetProperty("processed_frames").GetInt32(), result.GetProperty("registered_frames").GetInt32());
        Assert.Empty(WorkDirs());
    }

    [Fact]
    public async Task Cancelling_a_running_reconstruction_kills_colmap_and_leaves_no_files()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync("cancelled");
        await (await client.UploadAsync(id, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);
        await client.WaitForJobAsync(await client.ExtractFramesAsync(id, 0.1));
        var jobId = (await (await client.PostAsync($"{Base}/projects/{id}/start-reconstruction?quality=medium", null)).Status(HttpStatusCode.OK))
            .GetProperty("job_id").GetInt64();

        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (ColmapProcesses().Count == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "COLMAP never started");
            await Task.Delay(100);
        }
        var cancelled = await (await client.PostAsync($"{Base}/jobs/{jobId}/cancel", null)).Status(HttpStatusCode.OK);
        Assert.Equal(jobId, cancelled.GetProperty("id").GetInt64());
        var job = await client.WaitForJobAsync(jobId, TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.Empty(ColmapProcesses());
        Assert.Empty(WorkDirs());
        var project = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal("draft", project.GetProperty("status").GetString());
        await (await client.GetAsync($"{Base}/files/download/{id}/point_cloud")).DetailAsync(HttpStatusCode.NotFound);

        // Deleting the project removes every stored file of it.
        await (await client.DeleteAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        await using var files = app.Services.CreateAsyncScope();
        var store = files.ServiceProvider.GetRequiredService<Scanport.Storage.IObjectStore>();
        var left = await store.ListAsync("scanport", "reconstruction/", null, 1000, null, CancellationToken.None);
        Assert.DoesNotContain(left.Objects, o => o.Key.Contains("cancelled", StringComparison.Ordinal));
        await (await client.GetAsync($"{Base}/jobs/{jobId}")).DetailAsync(HttpStatusCode.NotFound);
    }

    private string DataDir => Path.GetFullPath(app.Services.GetRequiredService<IOptions<ScanportOptions>>().Value.DataDir);

    private string[] WorkDirs()
    {
        var work = Path.Combine(DataDir, "work");
        return Directory.Exists(work) ? Directory.GetFileSystemEntries(work) : [];
    }

    /// <summary>COLMAP processes whose command line names this app's work folder.</summary>
    private List<string> ColmapProcesses() =>
        ProcessTable.CommandLinesContaining(Path.Combine(DataDir, "work")).Where(c => c.Contains("colmap", StringComparison.Ordinal)).ToList();
}
