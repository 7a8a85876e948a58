using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Aps;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>The APS integration document's calls, as its clients make them.</summary>
internal static class ApsiCalls
{
    public const string Base = "/aps/api/v1";
    public const string Password = "Model-derivative-1";

    /// <summary>Registers a new user (their own organization, as admin) and signs them in with the document's form.</summary>
    public static async Task<(string Email, HttpClient Client)> UserAsync(this ScanportApp app)
    {
        var email = $"aps-{Guid.NewGuid():N}@apsi.test";
        using var anonymous = app.Client();
        await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email, password = Password, full_name = "Juan Pérez" })).Status(HttpStatusCode.Created);
        return (email, app.Client(await LoginAsync(app, email, Password)));
    }

    public static async Task<string> LoginAsync(ScanportApp app, string username, string password)
    {
        using var anonymous = app.Client();
        var body = await (await anonymous.PostAsync($"{Base}/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
        }))).Status(HttpStatusCode.OK);
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task<JsonElement> ProjectAsync(this HttpClient client, string name = "Edificio Corporativo", string? description = "Oficinas principales") =>
        await (await client.PostAsJsonAsync($"{Base}/projects", new { name, description })).Status(HttpStatusCode.Created);

    /// <summary>Uploads a file as the document says: multipart with <c>file</c> and <c>project_id</c>.</summary>
    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, long projectId, byte[] bytes, string fileName)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(projectId.ToString(CultureInfo.InvariantCulture)), "project_id" },
            { new ByteArrayContent(bytes), "file", fileName },
        };
        return client.PostAsync($"{Base}/files", form);
    }

    public static Task<HttpResponseMessage> UploadModelAsync(this HttpClient client, long projectId, string model, string? fileName = null) =>
        client.UploadAsync(projectId, File.ReadAllBytes(Path.Combine(ModelDerivativeCalls.Models, model)), fileName ?? model);

    /// <summary>Reads a file until its status leaves <c>translating</c>.</summary>
    public static async Task<JsonElement> WaitForFileAsync(this HttpClient client, long fileId, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var file = await (await client.GetAsync($"{Base}/files/{fileId}")).Status(HttpStatusCode.OK);
            if (file.GetProperty("status").GetString() is not ("translating" or "uploaded")) return file;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"file {fileId} still {file.GetProperty("status")}");
            await Task.Delay(250);
        }
    }

    /// <summary>The document's error body, checked whole: its code, and the path and time every error carries.</summary>
    public static async Task<JsonElement> ErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Status(status);
        Assert.Equal(code, body.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
        Assert.StartsWith(Base, body.GetProperty("path").GetString());
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        return body;
    }
}
