using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Processes;

namespace Scanport.Tests.Processes;

public class ProcessRunnerTests
{
    private static ProcessRunner Runner(Action<ProcessOptions>? configure = null)
    {
        var options = new ProcessOptions();
        configure?.Invoke(options);
        return new ProcessRunner(Options.Create(options));
    }

    private static async Task<(ProcessResult Result, List<string> Lines)> RunAsync(
        ProcessRunner runner, string program, string[] arguments, CancellationToken ct = default, TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        var result = await runner.RunAsync(program, arguments, line =>
        {
            lines.Add(line);
            return Task.CompletedTask;
        }, ct, timeout: timeout);
        return (result, lines);
    }

    [Fact]
    public async Task Arguments_reach_the_program_as_they_are_with_no_shell_between()
    {
        var (result, lines) = await RunAsync(Runner(), "printf", ["%s\\n", "two words", "$HOME; echo injected", "*"]);

        Assert.True(result.Succeeded);
        Assert.Equal(["two words", "$HOME; echo injected", "*"], lines);
    }

    [Fact]
    public async Task A_failing_program_returns_its_exit_code_and_the_tail_of_what_it_wrote()
    {
        var (result, lines) = await RunAsync(Runner(), "sh", ["-c", "echo progress; echo 'no such file' >&2; exit 3"]);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("sh", result.Program);
        Assert.Equal(["no such file"], result.ErrorTail);
        Assert.Equal(["no such file", "progress"], result.Tail.Order(StringComparer.Ordinal));
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public async Task A_program_past_its_timeout_is_killed_with_its_children_and_fails_with_a_typed_exception()
    {
        var marker = $"scanport-timeout-{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<ProcessFailedException>(() => RunAsync(Runner(), "sh",
            ["-c", $"sh -c 'sleep 30; : {marker}' & echo started >&2; sleep 30; : {marker}"], timeout: TimeSpan.FromMilliseconds(500)));

        Assert.True(failure.TimedOut);
        Assert.Equal("sh", failure.Program);
        Assert.Equal(["started"], failure.ErrorTail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"it ended after {clock.Elapsed.TotalSeconds:0.0} s");
        await AssertGoneAsync(marker);
    }

    [Fact]
    public async Task Cancelling_kills_the_whole_process_tree_and_throws()
    {
        var marker = $"scanport-cancel-{Guid.NewGuid():N}";
        using var cancel = new CancellationTokenSource();
        var runner = Runner();
        var run = runner.RunAsync("sh", ["-c", $"sh -c 'sleep 30; : {marker}' & echo started; sleep 30; : {marker}"], line =>
        {
            if (line == "started") cancel.CancelAfter(100);
            return Task.CompletedTask;
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertGoneAsync(marker);
    }

    [Fact]
    public async Task Runs_of_a_program_beyond_its_limit_wait_for_a_slot()
    {
        var runner = Runner(o => o.Limits["sleep"] = 1);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(RunAsync(runner, "sleep", ["0.4"]), RunAsync(runner, "sleep", ["0.4"]));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.75), $"two runs took {clock.Elapsed.TotalSeconds:0.00} s: they overlapped");
    }

    [Fact]
    public void Limits_come_from_configuration_with_colmap_alone_by_default()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Processes:Limits:ffmpeg"] = "2" }).Build();
        using var services = new ServiceCollection().AddProcesses(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ProcessOptions>>().Value;

        Assert.Equal(2, options.LimitOf("ffmpeg"));
        Assert.Equal(1, options.LimitOf("colmap"));
        Assert.Equal(Environment.ProcessorCount, options.LimitOf("ffprobe"));
    }

    [Fact]
    public void A_limit_below_one_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Processes:Limits:colmap"] = "0" }).Build();
        using var services = new ServiceCollection().AddProcesses(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ProcessOptions>>().Value);
    }

    private static async Task AssertGoneAsync(string marker)
    {
        // A killed process is reaped a moment after the kill.
        for (var i = 0; i < 20 && ProcessTable.CommandLinesContaining(marker).Count > 0; i++) await Task.Delay(100);
        Assert.Empty(ProcessTable.CommandLinesContaining(marker));
    }
}
