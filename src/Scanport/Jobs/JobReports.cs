using Scanport.Jobs;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// Passes a job's progress on when the stage changes, at the end, or when it has moved and half a second has passed:
/// each report is a row update, an event row and a message to every WebSocket, work that would otherwise compete with
/// COLMAP for the cores a hundred times a run. Safe to call from concurrent tasks.
/// </summary>
internal sealed class ProgressThrottle(JobContext context, TimeProvider clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly Lock gate = new();
    private int lastPercent = -1;
    private string? lastStage;
    private long lastAt;

    public Task ReportAsync(int percent, string stage)
    {
        lock (gate)
        {
            if (percent == lastPercent && stage == lastStage) return Task.CompletedTask;
            if (stage == lastStage && percent < 100 && lastAt != 0 && clock.GetElapsedTime(lastAt) < Interval) return Task.CompletedTask;
            (lastPercent, lastStage, lastAt) = (percent, stage, clock.GetTimestamp());
        }
        return context.ReportProgressAsync(percent, stage);
    }
}

/// <summary>
/// Collects a job's log lines and appends them in batches (COLMAP prints thousands; one row update per line would
/// rewrite the log thousands of times). Past <see cref="MaxLines"/> lines only a count of the dropped ones is kept.
/// </summary>
internal sealed class BatchedLog(JobContext context, TimeProvider clock) : IAsyncDisposable
{
    public const int MaxLines = 20_000;
    private readonly List<(DateTimeOffset? At, string Line)> pending = [];
    private readonly Lock gate = new();
    private long lastFlush = clock.GetTimestamp();
    private int written;
    private int dropped;

    public async Task WriteAsync(string line)
    {
        List<(DateTimeOffset? At, string Line)>? batch = null;
        lock (gate)
        {
            if (written + pending.Count >= MaxLines)
            {
                dropped++;
                return;
            }
            pending.Add((clock.GetUtcNow(), line));
            if (pending.Count >= 200 || clock.GetElapsedTime(lastFlush) > TimeSpan.FromSeconds(1)) batch = Take();
        }
        if (batch is not null) await context.LogAsync(batch);
    }

    public async ValueTask DisposeAsync()
    {
        List<(DateTimeOffset? At, string Line)>? batch;
        lock (gate)
        {
            if (dropped > 0) pending.Add((null, $"... {dropped} more lines not kept"));
            batch = pending.Count > 0 ? Take() : null;
        }
        if (batch is not null) await context.LogAsync(batch);
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
