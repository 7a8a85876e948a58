namespace Scanport.Processes;

/// <summary>An external program that failed: it exited non-zero, or ran past its timeout and was killed.</summary>
public sealed class ProcessFailedException(string program, int exitCode, IReadOnlyList<string> errorTail, bool timedOut = false)
    : Exception(timedOut
        ? $"{program} ran past its timeout and was killed"
        : $"{program} failed (exit code {exitCode}): {errorTail.LastOrDefault(l => l.Length > 0) ?? "no output"}")
{
    public string Program { get; } = program;

    public int ExitCode { get; } = exitCode;

    /// <summary>The last lines it wrote to stderr.</summary>
    public IReadOnlyList<string> ErrorTail { get; } = errorTail;

    public bool TimedOut { get; } = timedOut;
}
