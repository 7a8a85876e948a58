using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Scanport.Data;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// Group commit of single frames on PostgreSQL. Frames posted at the same moment (many scanners, each posting its own
/// scan's frames) are recorded together: a writer takes every frame waiting, up to <see cref="MaxGroup"/>, and runs their
/// statements (<see cref="FrameRecorder"/>'s one-frame statement each, unchanged) as one batch in one implicit transaction:
/// one round trip and one commit, one WAL flush, for the group. Each request is answered only after that commit, so an
/// acknowledged frame is durable as before; a failure fails every frame of the group, none of which was stored. Statements
/// run in scan order, so two groups (on this node or another) lock scan rows in one order and never deadlock. A lone
/// frame waits for nobody: a writer that finds one frame waiting commits it alone.
/// </summary>
internal sealed class FrameGroupCommit(IOptions<DatabaseOptions> database, IOptions<BodyScanOptions> options) : IAsyncDisposable
{
    public const int MaxGroup = 64;

    // The one-frame statement with positional parameters: $1 scan, $2 organization, $3 number, $4 id, $5 user in frame,
    // $6 confidence, $7 stability, $8 iou, $9 valid, $10 time.
    private const string Statement = """
        WITH s AS (
            SELECT id FROM scans WHERE id = $1 AND org_id = $2 AND status = 'active' FOR UPDATE),
        ins AS (
            INSERT INTO frames (scan_id, frame_number, id, user_in_frame, confidence, stability_score, iou, is_valid, timestamp)
            SELECT s.id, $3, $4, $5, $6, $7, $8, $9, $10 FROM s
            ON CONFLICT (scan_id, frame_number) DO NOTHING
            RETURNING frame_number),
        upd AS (
            UPDATE scans SET frame_count = frame_count + 1, valid_frames = valid_frames + $9::int,
                frames_with_user = frames_with_user + $5::int, confidence_sum = confidence_sum + $6,
                stability_sum = stability_sum + $7, latest_frame_number = ins.frame_number
            FROM ins WHERE scans.id = $1
            RETURNING 1)
        SELECT (SELECT count(*) FROM s)::int, (SELECT count(*) FROM ins)::int, (SELECT count(*) FROM upd)::int
        """;

    private readonly Lock _gate = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private NpgsqlDataSource? _source;
    private Task[] _writers = [];

    /// <summary>What the statement found: the scan (0 when it is not this organization's active scan) and the frame inserted (0: its number was there).</summary>
    public sealed record Counts(int Scans, int Inserted);

    private sealed record Pending(Guid OrgId, Frame Frame, TaskCompletionSource<Counts> Done);

    /// <summary>Records the frame with whatever others are waiting; completes once they are committed.</summary>
    public Task<Counts> RecordAsync(Guid orgId, Frame frame, CancellationToken ct)
    {
        Start();
        var pending = new Pending(orgId, frame, new TaskCompletionSource<Counts>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(FrameGroupCommit), "Scanport is stopping");
        // A request that goes away still has its frame committed with the group (as a statement already sent would be).
        return pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>The data source and the writers, on first use: a node on SQLite never starts them.</summary>
    private void Start()
    {
        if (Volatile.Read(ref _source) is not null) return;
        lock (_gate)
        {
            if (_source is not null) return;
            var builder = new NpgsqlConnectionStringBuilder(DataModule.TunePostgres(database.Value.ConnectionString!)) { ApplicationName = "scanport-frames" };
            var source = NpgsqlDataSource.Create(builder.ConnectionString);
            _writers = Enumerable.Range(0, options.Value.FrameWriters).Select(_ => Task.Run(() => WriteAsync(source))).ToArray();
            Volatile.Write(ref _source, source);
        }
    }

    private async Task WriteAsync(NpgsqlDataSource source)
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending)) group.Add(pending);
            if (group.Count == 0) continue;
            try
            {
                var counts = await CommitAsync(source, group);
                for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(counts[i]);
            }
            catch (Exception e)
            {
                foreach (var pending in group) pending.Done.TrySetException(e);
            }
        }
    }

    private static async Task<Counts[]> CommitAsync(NpgsqlDataSource source, List<Pending> group)
    {
        var order = Enumerable.Range(0, group.Count).OrderBy(i => group[i].Frame.ScanId).ThenBy(i => group[i].Frame.FrameNumber).ToArray();
        await using var connection = await source.OpenConnectionAsync();
        // No transaction named: the batch is sent with one Sync, so PostgreSQL runs it as one implicit transaction.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var i in order) batch.BatchCommands.Add(Command(group[i]));
        var counts = new Counts[group.Count];
        await using var reader = await batch.ExecuteReaderAsync();
        foreach (var i in order)
        {
            await reader.ReadAsync();
            counts[i] = new Counts(reader.GetInt32(0), reader.GetInt32(1));
            await reader.NextResultAsync();
        }
        return counts;
    }

    private static NpgsqlBatchCommand Command(Pending pending)
    {
        var f = pending.Frame;
        var command = new NpgsqlBatchCommand(Statement);
        command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = f.ScanId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = pending.OrgId });
        command.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = f.FrameNumber });
        command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = f.Id });
        command.Parameters.Add(new NpgsqlParameter<bool> { NpgsqlDbType = NpgsqlDbType.Boolean, TypedValue = f.UserInFrame });
        command.Parameters.Add(new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double, TypedValue = f.Confidence });
        command.Parameters.Add(new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double, TypedValue = f.StabilityScore });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = f.Iou is { } iou ? iou : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<bool> { NpgsqlDbType = NpgsqlDbType.Boolean, TypedValue = f.IsValid });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = f.Timestamp });
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
        if (_source is not null) await _source.DisposeAsync();
    }
}
