using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>A job's progress is passed on at most every half second (a new stage and 100 always), its log in batches.</summary>
public sealed class JobReportsTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = TimeSpan.TicksPerSecond;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(Ticks);
        public void Advance(int milliseconds) => Ticks += TimeSpan.FromMilliseconds(milliseconds).Ticks;
    }

    private static (JobContext Context, List<(int, string?)> Progress, List<int> Writes, ManualClock Clock) Context()
    {
        var clock = new ManualClock();
        var progress = new List<(int, string?)>();
        var writes = new List<int>();
        var job = new Job { Type = "test.echo", Queue = "default" };
        var context = new JobContext(job, (p, stage) => { progress.Add((p, stage)); return Task.CompletedTask; },
            lines => { writes.Add(lines.Count); return Task.CompletedTask; }, clock: clock);
        return (context, progress, writes, clock);
    }

    [Fact]
    public async Task Progress_is_passed_on_at_most_every_half_second_but_always_on_a_new_stage_and_at_the_end()
    {
        var (context, progress, _, clock) = Context();
        await context.ReportProgressAsync(0, "download");
        clock.Advance(100);
        await context.ReportProgressAsync(10, "download");
        await context.ReportProgressAsync(20, "extract");
        clock.Advance(100);
        await context.ReportProgressAsync(30, "extract");
        clock.Advance(500);
        await context.ReportProgressAsync(40, "extract");
        await context.ReportProgressAsync(100, "extract");

        Assert.Equal([(0, "download"), (20, "extract"), (40, "extract"), (100, "extract")], progress);
    }

    [Fact]
    public async Task Log_lines_are_written_together_after_a_second_or_when_flushed()
    {
        var (context, _, writes, clock) = Context();
        await context.LogAsync("one");
        await context.LogAsync("two");
        Assert.Empty(writes);
        clock.Advance(1100);
        await context.LogAsync("three");
        Assert.Equal([3], writes);
        await context.LogAsync("four");
        await context.FlushLogAsync(end: true);
        Assert.Equal([3, 1], writes);
    }
}
