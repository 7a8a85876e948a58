using System.Diagnostics;

namespace Scanport.Tests;

/// <summary>Runs a real client program (python3 with boto3, aws-cli, node) and returns what it printed.</summary>
internal static class ExternalProgram
{
    /// <summary>Debian's Python, which has python3-boto3 (the first python3 on PATH may be another without it).</summary>
    public const string Python = "/usr/bin/python3";
    public const string AwsCli = "/usr/bin/aws";

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? stdin = null, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // No stray AWS configuration of the machine may leak into a client under test.
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION" })
            start.Environment.Remove(name);
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a Python script given on standard input; fails the test with its output when it exits non-zero.</summary>
    public static async Task<string> PythonAsync(string script, IReadOnlyDictionary<string, string>? env = null)
    {
        var (code, stdout, stderr) = await RunAsync(Python, ["-"], env, script);
        Assert.True(code == 0, $"python failed ({code}):\n{stderr}\n{stdout}");
        return stdout;
    }
}
