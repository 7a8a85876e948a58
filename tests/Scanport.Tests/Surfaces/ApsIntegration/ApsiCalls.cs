using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Surfaces.ApsIntegration;
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

    public static long Number(this JsonElement json) => json.GetProperty("id").GetInt64();

    public static string Text(this JsonElement json, string name) => json.GetProperty(name).GetString()!;

    /// <summary>The 422 body, with the locations of its failing fields (FastAPI's <c>errors[].loc</c>, joined by dots).</summary>
    public static async Task<string[]> InvalidAsync(this HttpResponseMessage response)
    {
        var body = await response.ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        return body.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => string.Join('.', e.GetProperty("loc").EnumerateArray().Select(l => l.GetString())))]
            : [];
    }

    /// <summary>The object id a URN encodes (base64url without padding).</summary>
    public static string DecodeUrn(string urn) => ApsUrns.Decode(urn) ?? throw new FormatException($"not a URN: {urn}");

    /// <summary>The URN in the document's misspelt form (<c>urn:adsk:objects.os.object:</c>), as its examples encode it.</summary>
    public static string MisspeltUrn(string bucketKey, string objectKey) => ApsUrns.Encode($"urn:adsk:objects.os.object:{bucketKey}/{objectKey}");

    public static Task<HttpResponseMessage> UploadToBucketAsync(this HttpClient client, string bucketKey, byte[] bytes, string fileName, string? objectName = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        if (objectName is not null) form.Add(new StringContent(objectName), "file_name");
        return client.PostAsync($"{Base}/aps/buckets/{bucketKey}/files", form);
    }

    public static string NewBucketKey(string prefix = "apsi") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>The user's organization and id, read from the database.</summary>
    public static async Task<(Guid UserId, Guid OrgId)> AccountOfAsync(this ScanportApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var normalized = User.Normalize(email);
        var user = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id, u.OrgId }).SingleAsync();
        return (user.Id, user.OrgId);
    }

    /// <summary>The APS client the surface uses for the user's organization: what is at the cloud, seen from there.</summary>
    public static async Task<ApsCloudClient> CloudOfAsync(this ScanportApp app, string email) =>
        await app.Services.GetRequiredService<TenantClouds>().ForAsync((await app.AccountOfAsync(email)).OrgId, CancellationToken.None);

    /// <summary>Asserts the cloud has no such thing any more (its call fails with not found).</summary>
    public static async Task GoneAsync(Func<Task> call) =>
        Assert.Equal(ApsFailure.NotFound, (await Assert.ThrowsAsync<ApsCloudException>(call)).Kind);

    /// <summary>A user token signed with the server's real key, expired <paramref name="ago"/> ago.</summary>
    public static async Task<string> ExpiredTokenAsync(this ScanportApp app, string email, TimeSpan ago)
    {
        var (userId, orgId) = await app.AccountOfAsync(email);
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var expires = TimeProvider.System.GetUtcNow().UtcDateTime - ago;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = expires - TimeSpan.FromHours(1),
            NotBefore = expires - TimeSpan.FromHours(1),
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                [ClaimNames.Subject] = userId.ToString(),
                [ClaimNames.OrgId] = orgId.ToString(),
                [ClaimNames.Role] = Roles.Admin,
                [ClaimNames.SiteIds] = Array.Empty<string>(),
            },
            SigningCredentials = app.Services.GetRequiredService<SigningKeyRing>().Current,
        });
    }
}
