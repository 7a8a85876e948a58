using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Telemetry;

namespace Scanport.Jobs;

internal static class JobsModule
{
    /// <summary><c>--role worker --queues reconstruction</c> on the command line.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--role"] = $"{JobsOptions.Section}:Role",
        ["--queues"] = $"{JobsOptions.Section}:Queues",
    };

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        // The storage is this host's own service, not Hangfire's process-wide JobStorage.Current, so that two
        // hosts in one process (tests, a restart in place) never share or dispose each other's storage.
        services.AddSingleton<JobStorage>(_ => database.Provider == "postgres"
            // Sliding invisibility: a long job keeps its lease while it runs, so no second worker starts it.
            ? new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString!, PostgresStorageOptions), PostgresStorageOptions)
            // The embedded mode's jobs live in memory; the job table is the truth re-queued at start-up.
            : new Hangfire.InMemory.InMemoryStorage());
        // Hangfire's ASP.NET Core wiring takes the activator from the process-wide JobActivator.Current, which the last
        // host to start overwrites: a host that read it after another host started would build its jobs from that
        // host's container, and fail every job once that host stopped. Each host gets its own.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, cfg) => cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        services.AddTransient<JobRunner>();
        services.AddInstruments<JobMetrics>();
        services.AddScoped<JobQueue>();
        services.AddScoped<JobEvents>();
        // A crash leaves a running job's work folder behind.
        services.AddScratchFolder(JobWorkFolder.Folder, holdsFolders: true);
        if (options.RunsWorker)
        {
            services.AddHangfireServer((sp, server) =>
            {
                server.Queues = sp.GetRequiredService<IOptions<JobsOptions>>().Value.QueueList(KnownQueues(sp));
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
            services.AddHostedService<JobRecovery>();
        }
        services.AddHealthChecks().AddCheck<JobsHealthCheck>("jobs", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Registers the handler of one job type. Handlers are scoped: each attempt gets its own, from the scope the runner
    /// makes for it, so a handler takes the database and stores it needs as constructor parameters.
    /// </summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services) where THandler : class, IJobHandler =>
        services.AddScoped<IJobHandler, THandler>();

    private static PostgreSqlStorageOptions PostgresStorageOptions => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
        QueuePollInterval = TimeSpan.FromSeconds(1),
    };

    private static string[] KnownQueues(IServiceProvider sp)
    {
        using var scope = sp.CreateScope();
        return scope.ServiceProvider.GetServices<IJobHandler>().Select(h => h.Queue).Append("default").Distinct().ToArray();
    }
}

/// <summary>
/// At start-up, hands the job table's unfinished jobs back to Hangfire (a crash or restart loses nothing); then, every
/// half heartbeat timeout, hands back each running job whose heartbeat has gone stale: its worker died (a kill, a lost
/// machine), and Hangfire alone would wait out its invisibility timeout (minutes) before another worker took it. One
/// conditional update per job decides which node hands it back, so it is handed back once.
/// </summary>
internal sealed class JobRecovery(IServiceScopeFactory scopes, IBackgroundJobClient hangfire, IOptions<JobsOptions> options, TimeProvider clock,
    ILogger<JobRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            var unfinished = await db.Set<Job>().AsNoTracking()
                .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running).ToListAsync(stoppingToken);
            foreach (var job in unfinished) JobQueue.Dispatch(hangfire, job);
            if (unfinished.Count > 0) logger.LogInformation("Re-queued {Count} unfinished jobs", unfinished.Count);
        }
        var timeout = options.Value.HeartbeatTimeout;
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 2, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond)), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReclaimAsync(timeout, stoppingToken);
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(e, "Jobs whose worker died could not be looked for; trying again later");
            }
        }
    }

    private async Task ReclaimAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var stale = clock.GetUtcNow() - timeout;
        var orphans = await db.Set<Job>().AsNoTracking().Where(j => j.Status == JobStatus.Running && j.HeartbeatAt < stale).ToListAsync(ct);
        foreach (var job in orphans)
        {
            // Back to queued, its dead attempt still counted: the next claim is a new attempt.
            var handedBack = await db.Set<Job>()
                .Where(j => j.Id == job.Id && j.Status == JobStatus.Running && j.Attempts == job.Attempts && j.HeartbeatAt < stale)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.HeartbeatAt, (DateTimeOffset?)null), ct);
            if (handedBack == 0) continue;
            JobQueue.Dispatch(hangfire, job);
            logger.LogWarning("Job {JobId} ({JobType}) handed back to the queue: its worker stopped sending heartbeats (attempt {Attempt})",
                job.Id, job.Type, job.Attempts);
        }
    }
}

internal sealed class JobsHealthCheck(JobStorage storage) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            return Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        }
        catch (Exception e)
        {
            return Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("job storage unreachable", e));
        }
    }
}
