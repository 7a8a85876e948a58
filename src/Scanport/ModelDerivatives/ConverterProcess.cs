using Microsoft.Extensions.Options;
using Scanport.Processes;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Runs a converter (assimp, the IFC reader under Node) on a file that may be hostile: with an argument list, under
/// <c>prlimit</c>'s memory cap and the configured time limit, killing the whole process tree when either the limit or
/// the caller's cancellation comes. Every external program of this module runs here.
/// </summary>
internal sealed class ConverterProcess(ProcessRunner runner, IOptions<ModelDerivativesOptions> options)
{
    private const int MessageTailLines = 8;

    /// <summary>Null when the program exited 0; otherwise what went wrong, for the user.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled (not the time limit).</exception>
    public async Task<string?> RunAsync(string name, string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        var limits = options.Value;
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(program, arguments, onLine: null, ct, timeout: limits.TimeLimit,
                memoryLimitBytes: (long)limits.MemoryLimitMegabytes * 1024 * 1024);
        }
        catch (ProcessFailedException e) when (e.TimedOut)
        {
            return $"{name} took longer than the time limit ({limits.TimeLimit}) and was stopped.";
        }
        if (result.Succeeded) return null;
        var tail = string.Join('\n', result.Tail.Where(l => l.Trim().Length > 0).TakeLast(MessageTailLines));
        return $"{name} failed (exit code {result.ExitCode}): {tail}";
    }

    /// <summary>Null when the converter wrote <paramref name="path"/> within the size the host will load; otherwise why not.</summary>
    public string? CheckOutput(string name, string path)
    {
        var output = new FileInfo(path);
        if (!output.Exists) return $"{name} found nothing to convert in the file.";
        var limit = (long)options.Value.MaxConvertedMegabytes * 1024 * 1024;
        return output.Length > limit
            ? $"The model is too large to translate: {name} made {output.Length / (1024 * 1024)} MiB of it, more than the {options.Value.MaxConvertedMegabytes} MiB allowed."
            : null;
    }
}
