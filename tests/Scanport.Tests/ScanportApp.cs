using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Scanport.Tests;

/// <summary>
/// Scanport started once per test collection on a real Kestrel port, over a fresh database: SQLite in a
/// temporary data directory, or a new PostgreSQL database when <c>SCANPORT_TEST_PG</c> names a server
/// (./test starts one and runs the suite once per database).
/// </summary>
public sealed class ScanportApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@scanport.test";
    public const string AdminPassword = "correct-horse-battery";

    private readonly string _dataDir;
    private string? _pgDatabase;
    private readonly bool _ownsStorage;
    private bool _ownsDataDir;
    private readonly IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();
    private readonly Action<IServiceCollection>? _services;

    public ScanportApp() : this(Directory.CreateTempSubdirectory("scanport-test-").FullName, null, ownsStorage: true) { }

    private ScanportApp(string dataDir, string? pgDatabase, bool ownsStorage, IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null) =>
        (_dataDir, _pgDatabase, _ownsStorage, _settings, _services) = (dataDir, pgDatabase, ownsStorage, settings ?? new Dictionary<string, string>(), services);

    /// <summary>
    /// A second server over this one's database and data directory: a restart, or another node (with its own settings);
    /// with <paramref name="ownDataDirectory"/>, a node on another machine, sharing only the database.
    /// </summary>
    public async Task<ScanportApp> StartAnotherNodeAsync(IReadOnlyDictionary<string, string>? settings = null, bool ownDataDirectory = false)
    {
        var dataDir = ownDataDirectory ? Directory.CreateTempSubdirectory("scanport-node-").FullName : _dataDir;
        var node = new ScanportApp(dataDir, _pgDatabase, ownsStorage: false, settings) { _ownsDataDir = ownDataDirectory };
        await node.InitializeAsync();
        return node;
    }

    /// <summary>
    /// A server of its own, over a fresh database, with extra settings (e.g. <c>Oidc:Issuers:0:Authority</c> of an
    /// issuer the test started). Stop it with <c>((IAsyncLifetime)app).DisposeAsync()</c>, which also drops its storage.
    /// </summary>
    public static async Task<ScanportApp> StartAsync(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services = null)
    {
        var app = new ScanportApp(Directory.CreateTempSubdirectory("scanport-test-").FullName, null, ownsStorage: true, settings, services);
        await app.InitializeAsync();
        return app;
    }

    public static string? PostgresServer => Environment.GetEnvironmentVariable("SCANPORT_TEST_PG") is { Length: > 0 } cs ? cs : null;
    public string Provider => PostgresServer is null ? "sqlite" : "postgres";
    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>This server's PostgreSQL database, when it runs on PostgreSQL.</summary>
    public string? DatabaseName => _pgDatabase;

    public async Task InitializeAsync()
    {
        if (PostgresServer is { } server && _ownsStorage)
        {
            _pgDatabase = $"scanport_test_{Guid.NewGuid():N}";
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgDatabase}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }

    private static readonly object HostCreation = new();

    /// <summary>
    /// One host built at a time in the test process: with minimal hosting the factory runs Program's entry point and
    /// catches the host it builds through process-wide diagnostic events, so hosts started at once by classes running in
    /// parallel can catch each other's, and a test then runs against another test's settings.
    /// </summary>
    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        lock (HostCreation) return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Scanport:DataDir", _dataDir);
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Database:Provider", Provider);
        if (_pgDatabase is not null)
            builder.UseSetting("Database:ConnectionString", new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _pgDatabase }.ToString());
        // The suite signs in many times a second from one address.
        builder.UseSetting("Auth:TokenRequestsPerMinute", "100000");
        // Every test's wrong passwords come from this one address; per-account locks still apply.
        builder.UseSetting("Auth:SignInFailuresPerAddress", "100000");
        builder.UseSetting("Surfaces:Reconstruction3D:RegistrationsPerHour", "100000");
        builder.UseSetting("Surfaces:Reconstruction3D:RequestsPerSecond", "100000");
        builder.UseSetting("Surfaces:Reconstruction3D:ReconstructionStartsPerSecond", "100000");
        builder.UseSetting("Surfaces:Aps:RegistrationsPerHour", "100000");
        builder.UseSetting("Surfaces:Aps:RequestsPerMinutePerUser", "100000");
        builder.UseSetting("Surfaces:Aps:RequestsPerMinutePerAddress", "100000");
        builder.UseSetting("Jobs:RetryDelay", "00:00:00.200");
        builder.UseSetting("Jobs:CancelPollInterval", "00:00:00.100");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            Jobs.TestJobs.Register(services);
            _services?.Invoke(services);
        });
    }

    /// <summary>A client for the real server; with a token, every request carries it.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> TokenAsync(string email, string password)
    {
        using var client = Client();
        var response = await client.PostAsync("/platform/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = email,
            ["password"] = password,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"sign-in failed: {body}");
        return body.GetProperty("access_token").GetString()!;
    }

    public Task<string> AdminTokenAsync() => TokenAsync(AdminEmail, AdminPassword);

    /// <summary>A new organization of its own, created through the platform API: isolation for a test's data.</summary>
    public async Task<Tenant> NewTenantAsync()
    {
        using var admin = Client(await AdminTokenAsync());
        var email = $"admin-{Guid.NewGuid():N}@tenant.test";
        const string password = "tenant-admin-password";
        var response = await admin.PostAsJsonAsync("/platform/v1/organizations",
            new { name = $"tenant-{Guid.NewGuid():N}", admin_email = email, admin_password = password });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating a tenant failed: {body}");
        return new Tenant(this, body.GetProperty("id").GetGuid(), email, await TokenAsync(email, password));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_ownsDataDir) try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        if (!_ownsStorage) return;
        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(PostgresServer);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>An organization made for one test, with its admin's token.</summary>
public sealed record Tenant(ScanportApp App, Guid OrgId, string AdminEmail, string AdminToken)
{
    public HttpClient Admin() => App.Client(AdminToken);

    /// <summary>A user of this tenant with the given role, and a token for them.</summary>
    public async Task<(Guid Id, string Token)> UserAsync(string role, params Guid[] siteIds)
    {
        using var admin = Admin();
        var email = $"{role}-{Guid.NewGuid():N}@tenant.test";
        const string password = "user-password-123";
        var response = await admin.PostAsJsonAsync("/platform/v1/users", new { email, name = role, role, site_ids = siteIds, password });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating a user failed: {body}");
        return (body.GetProperty("id").GetGuid(), await App.TokenAsync(email, password));
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<ScanportApp>
{
    public const string Name = "app";
}
