using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Scanport.Tests.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Cluster;

public sealed partial class ClusterFaultTests
{
    [Fact]
    public async Task A_reconstruction_whose_worker_is_killed_mid_run_is_finished_by_the_other_worker_once_with_its_events_in_order()
    {
        var token = await cluster.AdminTokenAsync();
        using var balancer = cluster.Client(token);
        var project = await (await balancer.PostAsJsonAsync("/platform/v1/projects", new { name = "killed worker" })).Status(HttpStatusCode.Created);
        var number = project.GetProperty("number").GetInt64();
        await (await balancer.UploadAsync(number, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);
        await balancer.WaitForJobAsync(await balancer.ExtractFramesAsync(number, 0.1));

        // A client of the job events on api-2, from the first event on.
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(new Uri($"ws://{cluster.Node("api-2").Authority}/ws/jobs/{number}"), CancellationToken.None);
        Assert.Equal("connected", (await MediaAndJobsTests.ReceiveAsync(socket)).GetProperty("type").GetString());

        var jobId = (await (await balancer.PostAsync($"{ReconCalls.Base}/projects/{number}/start-reconstruction?quality=low", null))
            .Status(HttpStatusCode.OK)).GetProperty("job_id").GetInt64();
        var worker = await WorkerRunningAsync("colmap");
        await Task.Delay(TimeSpan.FromSeconds(2)); // well into COLMAP's work
        await cluster.KillAsync(worker);
        try
        {
            var events = new List<JsonElement>();
            while (events.Count == 0 || events[^1].GetProperty("type").GetString() is not ("job_completed" or "job_failed"))
            {
                var message = await MediaAndJobsTests.ReceiveAsync(socket);
                if (message.GetProperty("job_id").GetInt64() == jobId) events.Add(message);
            }
            var job = await balancer.WaitForJobAsync(jobId);
            Assert.True(job.GetProperty("status").GetString() == "completed", $"{job}");

            var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
            var ids = events.Select(e => e.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(ids.Order(), ids); // in the order they were stored
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(2, types.Count(t => t == "job_started")); // the killed attempt, then the other worker's
            Assert.Equal(1, types.Count(t => t == "job_completed"));
            var finished = await (await balancer.GetAsync($"{ReconCalls.Base}/projects/{number}")).Status(HttpStatusCode.OK);
            Assert.Equal("completed", finished.GetProperty("status").GetString());
            Assert.Equal("glTF", System.Text.Encoding.ASCII.GetString(
                await balancer.GetByteArrayAsync($"{ReconCalls.Base}/files/download/{number}/textured_mesh"), 0, 4));
        }
        finally
        {
            await cluster.RestartAsync(worker);
        }
    }

    /// <summary>The worker that runs <paramref name="program"/> now (a child process of that name), once one does.</summary>
    private async Task<string> WorkerRunningAsync(string program)
    {
        for (var i = 0; i < 1200; i++)
        {
            var workers = new[] { "worker-1", "worker-2" }.ToDictionary(w => cluster.Pid(w), w => w);
            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(process, "comm")).Trim() != program) continue;
                    // stat: pid (comm) state ppid ...; the comm may hold spaces, so read after its closing parenthesis.
                    var stat = File.ReadAllText(Path.Combine(process, "stat"));
                    var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    if (workers.TryGetValue(parent, out var worker)) return worker;
                }
                catch (IOException)
                {
                    // The process ended while being read.
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no worker ran {program} within 2 minutes");
    }
}
