using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>The reconstruction API's calls the tests arrange with.</summary>
internal static class ReconCalls
{
    public const string Base = "/api/v1";

    public static string OrbitVideo => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30.mp4");

    /// <summary>About 20 MB of lossless noise (2 s): three parts of a resumable upload's 8 MiB. The caller deletes the file.</summary>
    public static async Task<string> NoiseVideoAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scanport-noise-{Guid.NewGuid():N}.mp4");
        var (code, _, stderr) = await ExternalProgram.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=2",
            "-vf", "noise=alls=30:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", path]);
        Assert.True(code == 0, stderr);
        return path;
    }

    /// <summary>Registers a new user and signs them in: their username and a client carrying their token.</summary>
    public static async Task<(string Username, HttpClient Client)> UserAsync(this ScanportApp app)
    {
        var username = $"user_{Guid.NewGuid():N}"[..20];
        using var anonymous = app.Client();
        await (await anonymous.PostAsJsonAsync($"{Base}/auth/register",
            new { username, email = $"{username}@recon.test", password = "Orbit-30-frames", full_name = "Test User" })).Status(HttpStatusCode.Created);
        return (username, app.Client(await TokenAsync(app, username, "Orbit-30-frames")));
    }

    public static async Task<string> TokenAsync(ScanportApp app, string username, string password)
    {
        using var anonymous = app.Client();
        var body = await (await anonymous.PostAsync($"{Base}/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
        }))).Status(HttpStatusCode.OK);
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task<long> ProjectAsync(this HttpClient client, string name = "orbit")
    {
        var body = await (await client.PostAsJsonAsync($"{Base}/projects", new { name, description = "a test project" })).Status(HttpStatusCode.Created);
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>Uploads a file as the document says: multipart with <c>file</c> and <c>project_id</c>, streamed from disk.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, long projectId, string path, string? fileName = null, string contentType = "video/mp4")
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName ?? Path.GetFileName(path));
        form.Add(new StringContent(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "project_id");
        return await client.PostAsync($"{Base}/files/upload/video", form);
    }

    /// <summary>Uploads bytes as a file, with <c>Expect: 100-continue</c> as large uploads send it (a refusal then comes before the body goes out).</summary>
    public static async Task<HttpResponseMessage> UploadBytesAsync(this HttpClient client, long projectId, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "project_id");
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/files/upload/video") { Content = form };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    /// <summary>Starts frame extraction; the job's id.</summary>
    public static async Task<long> ExtractFramesAsync(this HttpClient client, long projectId, double interval)
    {
        var body = await (await client.PostAsync($"{Base}/files/extract-frames", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["project_id"] = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["interval"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }))).Status(HttpStatusCode.OK);
        return body.GetProperty("job_id").GetInt64();
    }

    /// <summary>Polls a job (gently: the document allows 10 requests a second) until it is completed, failed or cancelled.</summary>
    public static async Task<JsonElement> WaitForJobAsync(this HttpClient client, long jobId, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            var job = await (await client.GetAsync($"{Base}/jobs/{jobId}")).Status(HttpStatusCode.OK);
            if (job.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return job;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"job {jobId} did not finish in time: {job}");
            await Task.Delay(250);
        }
    }

    /// <summary>The error's <c>detail</c> text (FastAPI's shape).</summary>
    public static async Task<string> DetailAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Status(expected);
        Assert.Equal(JsonValueKind.String, body.GetProperty("detail").ValueKind);
        Assert.Single(body.EnumerateObject());
        return body.GetProperty("detail").GetString()!;
    }

    /// <summary>The fields a 422 names, as <c>loc</c> paths joined with dots.</summary>
    public static async Task<string[]> ValidationAsync(this HttpResponseMessage response)
    {
        var body = await response.Status(HttpStatusCode.UnprocessableEntity);
        return body.GetProperty("detail").EnumerateArray().Select(d =>
        {
            Assert.False(string.IsNullOrEmpty(d.GetProperty("msg").GetString()));
            return string.Join('.', d.GetProperty("loc").EnumerateArray().Select(l => l.GetString()));
        }).ToArray();
    }
}
