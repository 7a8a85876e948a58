using System.Diagnostics;
using System.Text;

namespace Scanport.Processes;

/// <summary>How an external program ended: its exit code and the last lines it wrote (stdout and stderr together).</summary>
public sealed record ProcessResult(int ExitCode, IReadOnlyList<string> Tail)
{
    public bool Succeeded => ExitCode == 0;

    public string TailText => string.Join('\n', Tail);
}

/// <summary>
/// Runs a program (ffmpeg, ffprobe, COLMAP) with an argument list (never a shell), hands every output line to a
/// callback as it arrives, and on cancellation kills the whole process tree at once, so no child outlives its job.
/// </summary>
public static class ExternalProcess
{
    private const int TailLines = 40;

    /// <param name="program">The executable, found on PATH.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell quoting).</param>
    /// <param name="onLine">Each line of stdout and stderr as it arrives (progress parsing, job logs); may be null.</param>
    /// <param name="ct">Cancels the run: the process and all its children are killed, then this throws.</param>
    /// <param name="workingDirectory">Where it runs; null: the current directory.</param>
    /// <param name="environment">Variables to set for it, on top of this process's.</param>
    public static async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> arguments, Func<string, Task>? onLine, CancellationToken ct,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
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
        process.StandardInput.Close();
        var tail = new Queue<string>();
        var gate = new SemaphoreSlim(1, 1);

        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    tail.Enqueue(line);
                    if (tail.Count > TailLines) tail.Dequeue();
                    if (onLine is not null) await onLine(line);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        await using (ct.Register(() => Kill(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await pumps;
        }
        ct.ThrowIfCancellationRequested();
        return new ProcessResult(process.ExitCode, tail.ToArray());
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
