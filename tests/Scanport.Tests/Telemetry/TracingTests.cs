using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Trace;
using Scanport.Tests.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Telemetry;

/// <summary>
/// A node whose traces go to an in-memory exporter (what OTLP would be sent): one trace follows a request through the
/// job queue to the worker and the program it runs, and the worker's log lines carry that trace's id.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly SpanList _spans = new();
    private readonly LogCapture _logs = new();
    private ScanportApp _app = null!;

    public async Task InitializeAsync() => _app = await ScanportApp.StartAsync(new Dictionary<string, string>(), services =>
    {
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(_spans));
        services.AddSingleton<ILoggerProvider>(_logs);
    });

    public async Task DisposeAsync() => await ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task Frame_extraction_is_one_trace_from_the_request_through_the_job_to_ffmpeg()
    {
        Assert.NotNull(_app.Services.GetService<TracerProvider>());
        var (_, client) = await _app.UserAsync();
        using var _1 = client;
        var project = await client.ProjectAsync();
        await (await client.UploadAsync(project, ReconCalls.OrbitVideo)).Status(HttpStatusCode.OK);

        // The call is made inside a span of the test's own, whose trace the server continues (its traceparent travels with
        // the request): that is how this node's trace is told from those of the other nodes the suite runs in this process.
        ActivityTraceId trace;
        long jobId;
        using (var caller = new Activity("the client").Start())
        {
            trace = caller.TraceId;
            jobId = await client.ExtractFramesAsync(project, 0.5);
        }
        Assert.Equal("completed", (await client.WaitForJobAsync(jobId)).GetProperty("status").GetString());

        var request = Single(s => s.TraceId == trace && s.Kind == ActivityKind.Server);
        Assert.EndsWith("/files/extract-frames", request.GetTagItem("http.route") as string);
        Assert.Equal("reconstruction", request.GetTagItem("scanport.surface"));
        // The attempt's span ends after its row says completed: wait for it, never for a time.
        var job = await EventuallyAsync(() => _spans.Snapshot().SingleOrDefault(s => s.TraceId == trace && s.Kind == ActivityKind.Consumer));
        Assert.Equal(request.SpanId, job.ParentSpanId);
        Assert.Equal("frames", job.GetTagItem("scanport.job.queue"));
        Assert.Equal("succeeded", job.GetTagItem("scanport.job.outcome"));

        var ffmpeg = Single(s => s.TraceId == trace && s.DisplayName == "ffmpeg");
        Assert.True(DescendsFrom(ffmpeg, job), "the ffmpeg span is not inside the job's");
        Assert.Equal(0, ffmpeg.GetTagItem("process.exit.code"));
        Assert.Equal("ffmpeg", ffmpeg.GetTagItem("process.executable.name"));
        // Its arguments (paths, and for other programs perhaps secrets) are never on the span.
        Assert.DoesNotContain(ffmpeg.TagObjects, t => t.Value is string v && (v.Contains("-i", StringComparison.Ordinal) || v.Contains('/')));

        if (_app.Provider == "postgres")
        {
            // The database's queries are spans of the request and the job; a query outside any (Hangfire's polling) is none.
            Assert.Contains(_spans.Snapshot(), s => s.TraceId == trace && s.Source.Name == "Npgsql" && DescendsFrom(s, job));
            Assert.DoesNotContain(_spans.Snapshot(), s => s.Source.Name == "Npgsql" && s.ParentSpanId == default);
        }

        // The worker's own log line about the job carries the request's trace id.
        await EventuallyAsync(() => _logs.Lines().FirstOrDefault(l => l.Category == "Scanport.Jobs.JobRunner" && l.TraceId == trace.ToHexString()).Category);
    }

    [Fact]
    public void The_json_console_formatter_writes_the_trace_id_of_a_line()
    {
        var json = _app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        using var activity = new Activity("a request").Start();
        using var writer = new StringWriter();

        json.Write(new LogEntry<string>(LogLevel.Information, "Scanport", default, "a line", null, (s, _) => s), _logs.ScopeProvider, writer);

        Assert.Contains($"\"TraceId\":\"{activity.TraceId.ToHexString()}\"", writer.ToString());
        Assert.Contains($"\"SpanId\":\"{activity.SpanId.ToHexString()}\"", writer.ToString());
    }

    private Activity Single(Func<Activity, bool> match)
    {
        var found = _spans.Snapshot().Where(match).ToList();
        Assert.True(found.Count == 1, $"{found.Count} spans matched: {string.Join(", ", found.Select(s => s.DisplayName))}");
        return found[0];
    }

    private bool DescendsFrom(Activity span, Activity ancestor)
    {
        var byId = _spans.Snapshot().Where(s => s.TraceId == span.TraceId).ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var p); parent = p.ParentSpanId)
            if (p.SpanId == ancestor.SpanId) return true;
        return false;
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (probe() is { } found) return found;
            await Task.Delay(50);
        }
        Assert.Fail("it never happened");
        return default!;
    }
}
