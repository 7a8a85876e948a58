using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Scanport.Telemetry;

namespace Scanport.Processes;

/// <summary>How an external program ended: its exit code and the last lines it wrote.</summary>
/// <param name="Program">The program as it was started.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Tail">The last lines of stdout and stderr together, in the order they arrived.</param>
/// <param name="ErrorTail">The last lines of stderr alone.</param>
public sealed record ProcessResult(string Program, int ExitCode, IReadOnlyList<string> Tail, IReadOnlyList<string> ErrorTail)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs every external program (ffmpeg, ffprobe, COLMAP): an argument list (never a shell), at most
/// <see cref="ProcessOptions.Limits"/> runs of one program at a time, every output line to a callback as it arrives,
/// and on cancellation or timeout the whole process tree killed at once, so no child outlives its job.
/// </summary>
public sealed class ProcessRunner(IOptions<ProcessOptions> options)
{
    private const int TailLines = 40;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> slots = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="program">The executable, found on PATH.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell quoting).</param>
    /// <param name="onLine">Each line of stdout and stderr as it arrives (progress parsing, job logs); may be null.</param>
    /// <param name="ct">Cancels the run (or the wait for a slot): the process and all its children are killed, then this throws.</param>
    /// <param name="workingDirectory">Where it runs; null: the current directory.</param>
    /// <param name="environment">Variables to set for it, on top of this process's.</param>
    /// <param name="timeout">The longest it may run, from its start (the wait for a slot not counted); null: no limit.</param>
    /// <param name="memoryLimitBytes">
    /// The data segment it may grow to (util-linux <c>prlimit --data</c>, inherited by its children), for programs that
    /// read files from anyone; null: no cap. The data limit rather than the address space, because runtimes such as
    /// WebAssembly's reserve far more address space than they ever write.
    /// </param>
    /// <returns>The exit code and the output's tail, whatever the exit code: callers that need the code read it.</returns>
    /// <exception cref="ProcessFailedException">It ran past <paramref name="timeout"/> (<see cref="ProcessFailedException.TimedOut"/>) and was killed.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (not installed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> arguments, Func<string, Task>? onLine, CancellationToken ct,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null,
        long? memoryLimitBytes = null)
    {
        var name = Path.GetFileName(program);
        var slot = slots.GetOrAdd(name, n => new SemaphoreSlim(options.Value.LimitOf(n)));
        // A span per run, a child of the job or request that asked for it, named after the program: never its arguments,
        // which may hold what must not leave the node (signed URLs, keys, customers' file names).
        using var activity = ScanportTelemetry.Source.StartActivity(name);
        activity?.SetTag("process.executable.name", name);
        await slot.WaitAsync(ct);
        try
        {
            // The wait for a slot (the program's concurrency limit) ends here.
            activity?.AddEvent(new ActivityEvent("started"));
            if (memoryLimitBytes is { } cap)
                (program, arguments) = ("prlimit", [$"--data={cap}", "--", program, .. arguments]);
            var result = await StartAsync(program, arguments, onLine, ct, workingDirectory, environment, timeout, activity);
            activity?.SetTag("process.exit.code", result.ExitCode);
            if (!result.Succeeded) activity?.SetStatus(ActivityStatusCode.Error, $"exit code {result.ExitCode}");
            return result;
        }
        catch (Exception e) when (activity is not null)
        {
            // Fixed words: an exception's message may quote the program's output.
            activity.SetStatus(ActivityStatusCode.Error, e switch
            {
                ProcessFailedException { TimedOut: true } => "timed out",
                OperationCanceledException => "cancelled",
                _ => e.GetType().Name,
            });
            throw;
        }
        finally
        {
            slot.Release();
        }
    }

    private static async Task<ProcessResult> StartAsync(
        string program, IEnumerable<string> arguments, Func<string, Task>? onLine, CancellationToken ct,
        string? workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout, Activity? activity)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        activity?.SetTag("process.pid", process.Id);
        process.StandardInput.Close();
        var tail = new Queue<string>();
        var errorTail = new Queue<string>();
        var gate = new SemaphoreSlim(1, 1);

        // One line at a time reaches the callback, whichever stream it came from.
        async Task PumpAsync(StreamReader reader, bool isError)
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    Keep(tail, line);
                    if (isError) Keep(errorTail, line);
                    if (onLine is not null) await onLine(line);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var started = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout ?? Timeout.InfiniteTimeSpan);
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, false), PumpAsync(process.StandardError, true));
        await using (ct.Register(() => Kill(process)))
        await using (deadline.Token.Register(() => Kill(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await pumps;
        }
        ct.ThrowIfCancellationRequested();
        // Past its limit is a timeout even when the timer's kill came too late to matter (a busy thread pool runs it late).
        if (deadline.IsCancellationRequested || Stopwatch.GetElapsedTime(started) > timeout)
            throw new ProcessFailedException(program, process.ExitCode, errorTail.ToArray(), timedOut: true);
        return new ProcessResult(program, process.ExitCode, tail.ToArray(), errorTail.ToArray());
    }

    private static void Keep(Queue<string> tail, string line)
    {
        tail.Enqueue(line);
        if (tail.Count > TailLines) tail.Dequeue();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }
    }
}
