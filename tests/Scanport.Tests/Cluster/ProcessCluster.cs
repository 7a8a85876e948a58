using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Cluster;

/// <summary>
/// Scanport as a production cluster of real processes, started by <c>ops/cluster/cluster.sh</c> as an operator starts
/// it: its own PostgreSQL, a storage node, two API nodes and two workers on the <c>s3</c> provider, HAProxy in front.
/// The tests kill and restart its parts through the same script.
/// </summary>
public sealed class ProcessCluster : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scanport-cluster-").FullName;
    private Dictionary<string, string> _env = [];

    public const string AdminEmail = "admin@cluster.test";
    public const string AdminPassword = "cluster-admin-password";

    /// <summary>The balancer: the cluster's only address for clients.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>One node directly, bypassing the balancer (api-1, api-2, worker-1, ...).</summary>
    public Uri Node(string name) => new($"http://127.0.0.1:{_env[$"PORT_{name.Replace('-', '_')}"]}");

    /// <summary>The cluster's database, for checks no API answers (a job's attempts).</summary>
    public string Database => _env["PG_CONNECTION"];

    public async Task InitializeAsync()
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "Scanport", "bin", "Release", "net10.0", "Scanport.dll");
        await ScriptAsync("start", new Dictionary<string, string>
        {
            ["SCANPORT_DLL"] = dll,
            ["PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ADMIN_EMAIL"] = AdminEmail,
            ["ADMIN_PASSWORD"] = AdminPassword,
            // A dead worker's job is taken over after 5 s without heartbeats, not 30.
            ["Jobs__HeartbeatTimeout"] = "00:00:05",
            ["Auth__TokenRequestsPerMinute"] = "100000",
            ["Surfaces__BodyScan__RequestsPerSecond"] = "100000",
            ["Surfaces__BodyScan__Burst"] = "100000",
            ["Surfaces__Reconstruction3D__RequestsPerSecond"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        _env = File.ReadAllLines(Path.Combine(_dir, "cluster.env"))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => Unquote(p[1]));
        Url = new Uri(_env["URL"]);
    }

    public async Task DisposeAsync()
    {
        try { await ScriptAsync("stop"); }
        finally { try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } }
    }

    public HttpClient Client(string? token = null, Uri? at = null)
    {
        var client = new HttpClient { BaseAddress = at ?? Url, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public async Task<string> AdminTokenAsync()
    {
        using var client = Client();
        using var response = await client.PostAsync("/platform/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = AdminEmail,
            ["password"] = AdminPassword,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>SIGKILLs a node (and, for a worker, the programs it runs), as a crash or a lost machine would.</summary>
    public Task KillAsync(string name) => ScriptAsync($"kill {name}");

    public Task RestartAsync(string name) => ScriptAsync($"restart {name}");

    public Task RestartDatabaseAsync(int downSeconds) => ScriptAsync($"restart-db {downSeconds}");

    /// <summary>The process id of a node, as the script recorded it.</summary>
    public int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(_dir, "run", $"{name}.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The end of a node's log, for a failure's message.</summary>
    public string LogTail(string name) => string.Join('\n', File.ReadLines(Path.Combine(_dir, "logs", $"{name}.log")).TakeLast(30));

    private async Task ScriptAsync(string arguments, Dictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "ops", "cluster", "cluster.sh"));
        foreach (var argument in arguments.Split(' ')) start.ArgumentList.Add(argument);
        start.Environment["CLUSTER_DIR"] = _dir;
        foreach (var (key, value) in env ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"cluster.sh {arguments} failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }

    /// <summary>A value as bash's <c>printf %q</c> wrote it (backslash before each special character).</summary>
    private static string Unquote(string value) => System.Text.RegularExpressions.Regex.Replace(value, @"\\(.)", "$1");

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
