using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// APS's official Node OSS client (<c>@aps_sdk/oss</c>, pinned in tools/aps-sdk) pointed at the test app, one command per
/// run (sdk/oss.mjs), and plain HTTP calls with the same token for what the SDK cannot send.
/// </summary>
public sealed class OssSdk(ScanportApp app, string token)
{
    public const string AllScopes = "bucket:create bucket:read bucket:delete data:read data:write data:create";

    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "Scanport.Tests", "Surfaces", "Aps", "sdk", "oss.mjs");
    private static readonly string SdkDir = Path.Combine(RepoPaths.Root, "tools", "aps-sdk");

    public string Token => token;

    /// <summary>An APS application (API key) of a new organization, with a two-legged token of these scopes.</summary>
    public static async Task<OssSdk> CreateAsync(ScanportApp app, string scope = AllScopes, string role = "operator") =>
        await (await ApsClient.CreateAsync(app, role)).OssAsync(scope);

    /// <summary>Another API key of the same organization, with its role, and a token of these scopes.</summary>
    public static async Task<OssSdk> KeyOfAsync(Tenant tenant, string role, string scope = AllScopes)
    {
        using var admin = tenant.Admin();
        var key = await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/api-keys", new { name = $"OSS {role}", role })).Status(HttpStatusCode.Created);
        var client = new ApsClient(tenant.App, tenant, key.Id(), key.GetProperty("secret").GetString()!, "", "");
        return await client.OssAsync(scope);
    }

    /// <summary>Runs one SDK command; the printed outcome: <c>ok</c> and <c>result</c>, or <c>status</c> and <c>data</c>.</summary>
    public async Task<JsonElement> RunAsync(string command, object? args = null)
    {
        var (code, stdout, stderr) = await ExternalProgram.RunAsync("node",
            [Script, SdkDir, app.BaseAddress.ToString().TrimEnd('/'), token, command, JsonSerializer.Serialize(args ?? new { })], timeoutSeconds: 300);
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        Assert.True(code == 0 && line is not null, $"node {command} exited {code}:\n{stderr}\n{stdout}");
        return JsonDocument.Parse(line!).RootElement.Clone();
    }

    /// <summary>An SDK command that must succeed: its result.</summary>
    public async Task<JsonElement> OkAsync(string command, object? args = null)
    {
        var outcome = await RunAsync(command, args);
        Assert.True(outcome.GetProperty("ok").GetBoolean(), $"{command} failed: {outcome}");
        return outcome.GetProperty("result");
    }

    /// <summary>An SDK command that must fail with this HTTP status: the error body the SDK saw.</summary>
    public async Task<JsonElement> FailsAsync(string command, object? args, HttpStatusCode status)
    {
        var outcome = await RunAsync(command, args);
        Assert.False(outcome.GetProperty("ok").GetBoolean(), $"{command} should have failed with {(int)status}: {outcome}");
        Assert.True(outcome.GetProperty("status").ValueKind == JsonValueKind.Number && outcome.GetProperty("status").GetInt32() == (int)status,
            $"{command}: expected {(int)status}, got {outcome}");
        return outcome.GetProperty("data");
    }

    /// <summary>A plain HTTP client with the same APS token.</summary>
    public HttpClient Http() => app.Client(token);

    public static string NewBucketKey(string what) => $"{what}-{Guid.NewGuid():N}"[..Math.Min(what.Length + 33, 128)];
}

public static class ApsClientOss
{
    public static async Task<OssSdk> OssAsync(this ApsClient client, string scope = OssSdk.AllScopes) =>
        new(client.App, (await client.TwoLeggedAsync(scope)).GetProperty("access_token").GetString()!);
}
