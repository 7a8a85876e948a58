namespace Scanport.Jobs;

/// <summary>
/// Passes a job's progress on when the stage changes, at 100, or when it has moved and half a second has passed: each
/// report is a row update, an event row and a message to every live reader, work that would otherwise compete with
/// the job's own programs for the cores a hundred times a run. Safe to call from concurrent tasks.
/// </summary>
internal sealed class ProgressThrottle(Func<int, string?, Task> report, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly Lock gate = new();
    private int lastPercent = -1;
    private string? lastStage;
    private long lastAt;

    public Task ReportAsync(int percent, string? stage)
    {
        lock (gate)
        {
            if (percent == lastPercent && stage == lastStage) return Task.CompletedTask;
            if (stage == lastStage && percent < 100 && lastAt != 0 && clock.GetElapsedTime(lastAt) < Interval) return Task.CompletedTask;
            (lastPercent, lastStage, lastAt) = (percent, stage, clock.GetTimestamp());
        }
        return report(percent, stage);
    }
}

/// <summary>
/// Collects a job's log lines and appends them in batches (COLMAP prints thousands; one row update per line would
/// rewrite the log thousands of times): at 200 lines, when a second has passed, and on <see cref="FlushAsync"/>.
/// Past <see cref="MaxLines"/> lines only a count of the dropped ones is kept.
/// </summary>
internal sealed class BatchedLog(Func<IReadOnlyList<(DateTimeOffset? At, string Line)>, Task> write, TimeProvider clock)
{
    public const int MaxLines = 20_000;
    private readonly List<(DateTimeOffset? At, string Line)> pending = [];
    private readonly Lock gate = new();
    private long lastFlush = clock.GetTimestamp();
    private int written;
    private int dropped;

    public async Task WriteAsync(IReadOnlyList<(DateTimeOffset? At, string Line)> lines)
    {
        List<(DateTimeOffset? At, string Line)>? batch = null;
        lock (gate)
        {
            var now = clock.GetUtcNow();
            foreach (var (at, line) in lines)
            {
                if (written + pending.Count >= MaxLines) dropped++;
                else pending.Add((at ?? now, line));
            }
            if (pending.Count >= 200 || clock.GetElapsedTime(lastFlush) > TimeSpan.FromSeconds(1)) batch = Take();
        }
        if (batch is not null) await write(batch);
    }

    /// <summary>Writes what was collected; <paramref name="end"/> when no more lines will come (the count of dropped ones is added then).</summary>
    public async Task FlushAsync(bool end = false)
    {
        List<(DateTimeOffset? At, string Line)>? batch;
        lock (gate)
        {
            if (end && dropped > 0)
            {
                pending.Add((null, $"... {dropped} more lines not kept"));
                dropped = 0;
            }
            batch = pending.Count > 0 ? Take() : null;
        }
        if (batch is not null) await write(batch);
    }

    private List<(DateTimeOffset? At, string Line)> Take()
    {
        written += pending.Count;
        var batch = pending.ToList();
        pending.Clear();
        lastFlush = clock.GetTimestamp();
        return batch;
    }
}
