using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>Job types that exist only in the test host, to exercise the job engine itself.</summary>
public static class TestJobs
{
    /// <summary>How many times each job id's handler ran, across every host in the test process.</summary>
    public static readonly ConcurrentDictionary<Guid, int> Runs = new();

    /// <summary>The work folder each job id's handler wrote in.</summary>
    public static readonly ConcurrentDictionary<Guid, string> WorkFolders = new();

    /// <summary>Job ids whose run of test.until-cancelled saw its cancellation token fire.</summary>
    public static readonly ConcurrentDictionary<Guid, bool> Stopped = new();

    /// <summary>The errors each job id's failure hook was told, in order.</summary>
    public static readonly ConcurrentDictionary<Guid, ConcurrentQueue<string>> FinalFailures = new();

    public static void Register(IServiceCollection services)
    {
        services.AddJobHandler<Echo>();
        services.AddJobHandler<FailsOnce>();
        services.AddJobHandler<RunsUntilCancelled>();
        services.AddJobHandler<AlwaysThrows>();
        services.AddJobHandler<UsesWorkFolder>();
        services.AddScoped<Scanport.Surfaces.Aps.ModelDerivative.IDerivativeEventSink, Surfaces.Aps.DerivativeEventRecorder>();
    }

    private static Task Record(JobContext context, string error)
    {
        FinalFailures.GetOrAdd(context.JobId, _ => new()).Enqueue(error);
        return Task.CompletedTask;
    }

    private sealed class Echo : IJobHandler
    {
        public string Type => "test.echo";
        public string Queue => "default";

        public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            Runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
            await context.LogAsync("echoing");
            return JobOutcome.Succeeded(System.Text.Json.JsonSerializer.Serialize(context.Payload<System.Text.Json.JsonElement>()));
        }

        public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) => Record(context, error);
    }

    private sealed class FailsOnce : IJobHandler
    {
        public string Type => "test.fails-once";
        public string Queue => "default";

        public Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            Runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
            if (context.Attempt == 1) throw new IOException("a transient failure");
            return Task.FromResult(JobOutcome.Succeeded($$"""{"attempt":{{context.Attempt}}}"""));
        }

        public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) => Record(context, error);
    }

    /// <summary>A bug: every attempt throws.</summary>
    private sealed class AlwaysThrows : IJobHandler
    {
        public string Type => "test.always-throws";
        public string Queue => "default";

        public Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            Runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
            throw new NullReferenceException($"a bug on attempt {context.Attempt}");
        }

        public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) => Record(context, error);
    }

    /// <summary>Writes a file in its work folder, then succeeds or (payload <c>{"fail":true}</c>) fails.</summary>
    private sealed class UsesWorkFolder : IJobHandler
    {
        public string Type => "test.uses-work-folder";
        public string Queue => "default";

        public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            WorkFolders[context.JobId] = context.WorkFolder;
            await File.WriteAllTextAsync(Path.Combine(context.WorkFolder, "scratch.txt"), "work", ct);
            return context.Payload<System.Text.Json.JsonElement>().TryGetProperty("fail", out _) ? JobOutcome.Failed("told to fail") : JobOutcome.Succeeded();
        }

        public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) => Record(context, error);
    }

    private sealed class RunsUntilCancelled : IJobHandler
    {
        public string Type => "test.until-cancelled";
        public string Queue => "default";

        public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await context.ReportProgressAsync(Math.Min(i, 99));
                    await Task.Delay(50, ct);
                }
            }
            catch (OperationCanceledException)
            {
                Stopped[context.JobId] = true;
                throw;
            }
        }

        public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) => Record(context, error);
    }
}
