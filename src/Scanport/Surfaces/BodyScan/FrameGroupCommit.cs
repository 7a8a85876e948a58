using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Scanport.Data;

namespace Scanport.Surfaces.BodyScan;

/// <summary>
/// Group commit of single frames. Frames posted at the same moment (many scanners, each posting its own scan's frames)
/// are recorded together: a writer takes every frame waiting, up to <see cref="MaxGroup"/>, and records them in one
/// transaction: one commit (on PostgreSQL one round trip and one WAL flush) for the group. Each request is answered only
/// after that commit, so an acknowledged frame is durable as before; a failure fails every frame of the group, none of
/// which was stored. On PostgreSQL each frame is <see cref="FrameRecorder"/>'s one-frame statement, sent as one batch (an
/// implicit transaction), by <see cref="BodyScanOptions.FrameWriters"/> writers; statements run in scan order, so two groups
/// (on this node or another) lock scan rows in one order and never deadlock. On SQLite, which has one writer, one writer
/// runs each group as one transaction behind the <see cref="SqliteWriteGate"/>, its statements made once per group.
/// A lone frame waits for nobody: a writer that finds one frame waiting commits it alone.
/// </summary>
internal sealed class FrameGroupCommit(
    IServiceScopeFactory scopes, SqliteWriteGate gate, IOptions<DatabaseOptions> database, IOptions<BodyScanOptions> options) : IAsyncDisposable
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

    private readonly Lock _starting = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private NpgsqlDataSource? _source;
    private bool _started;
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

    /// <summary>The writers (and PostgreSQL's data source), on first use: a node that records no frames starts none.</summary>
    private void Start()
    {
        if (Volatile.Read(ref _started)) return;
        lock (_starting)
        {
            if (_started) return;
            if (database.Value.Provider == "postgres")
            {
                var builder = new NpgsqlConnectionStringBuilder(DataModule.TunePostgres(database.Value.ConnectionString!)) { ApplicationName = "scanport-frames" };
                var source = _source = NpgsqlDataSource.Create(builder.ConnectionString);
                _writers = Enumerable.Range(0, options.Value.FrameWriters).Select(_ => Task.Run(() => WriteAsync(group => CommitAsync(source, group)))).ToArray();
            }
            else
            {
                _writers = [Task.Run(() => WriteAsync(CommitSqliteAsync))];
            }
            Volatile.Write(ref _started, true);
        }
    }

    private async Task WriteAsync(Func<List<Pending>, Task<Counts[]>> commit)
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending)) group.Add(pending);
            if (group.Count == 0) continue;
            try
            {
                var counts = await commit(group);
                for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(counts[i]);
            }
            catch (Exception e)
            {
                foreach (var pending in group) pending.Done.TrySetException(e);
            }
        }
    }

    /// <summary>The group's indices in scan order, then frame order: the order its statements run in.</summary>
    private static int[] InScanOrder(List<Pending> group) =>
        Enumerable.Range(0, group.Count).OrderBy(i => group[i].Frame.ScanId).ThenBy(i => group[i].Frame.FrameNumber).ToArray();

    private static async Task<Counts[]> CommitAsync(NpgsqlDataSource source, List<Pending> group)
    {
        var order = InScanOrder(group);
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

    /// <summary>
    /// The group in one SQLite transaction: per frame, whether the scan is this organization's and active, the insert
    /// unless the number exists, and the aggregates only if it was inserted. The single writer makes the three one step.
    /// Values go through the model's own type mappings (SQLite keeps ids as text and instants as integers).
    /// </summary>
    private async Task<Counts[]> CommitSqliteAsync(List<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var frames = db.Model.FindEntityType(typeof(Frame))!;
        var scans = db.Model.FindEntityType(typeof(Scan))!;
        var counts = new Counts[group.Count];
        using (await gate.EnterAsync(db, CancellationToken.None))
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                var connection = db.Database.GetDbConnection();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var find = Command(connection, transaction, "SELECT count(*) FROM scans WHERE id = $scan AND org_id = $org AND status = $active");
                await using var insert = Command(connection, transaction, """
                    INSERT INTO frames (scan_id, frame_number, id, user_in_frame, confidence, stability_score, iou, is_valid, timestamp)
                    VALUES ($scan, $number, $id, $user, $confidence, $stability, $iou, $valid, $at)
                    ON CONFLICT (scan_id, frame_number) DO NOTHING
                    """);
                await using var add = Command(connection, transaction, """
                    UPDATE scans SET frame_count = frame_count + 1, valid_frames = valid_frames + $valid,
                        frames_with_user = frames_with_user + $user, confidence_sum = confidence_sum + $confidence,
                        stability_sum = stability_sum + $stability, latest_frame_number = $number
                    WHERE id = $scan
                    """);
                foreach (var i in InScanOrder(group))
                {
                    var (org, f) = (group[i].OrgId, group[i].Frame);
                    Bind(find, (scans, nameof(Scan.Id), "$scan", f.ScanId), (scans, nameof(Scan.OrgId), "$org", org),
                        (scans, nameof(Scan.Status), "$active", ScanStatus.Active));
                    if (Convert.ToInt64(await find.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                    {
                        counts[i] = new Counts(0, 0);
                        continue;
                    }
                    Bind(insert, (frames, nameof(Frame.ScanId), "$scan", f.ScanId), (frames, nameof(Frame.FrameNumber), "$number", f.FrameNumber),
                        (frames, nameof(Frame.Id), "$id", f.Id), (frames, nameof(Frame.UserInFrame), "$user", f.UserInFrame),
                        (frames, nameof(Frame.Confidence), "$confidence", f.Confidence), (frames, nameof(Frame.StabilityScore), "$stability", f.StabilityScore),
                        (frames, nameof(Frame.Iou), "$iou", f.Iou), (frames, nameof(Frame.IsValid), "$valid", f.IsValid),
                        (frames, nameof(Frame.Timestamp), "$at", f.Timestamp));
                    var inserted = await insert.ExecuteNonQueryAsync();
                    if (inserted == 1)
                    {
                        Bind(add, (scans, nameof(Scan.Id), "$scan", f.ScanId), (frames, nameof(Frame.IsValid), "$valid", f.IsValid),
                            (frames, nameof(Frame.UserInFrame), "$user", f.UserInFrame), (frames, nameof(Frame.Confidence), "$confidence", f.Confidence),
                            (frames, nameof(Frame.StabilityScore), "$stability", f.StabilityScore), (frames, nameof(Frame.FrameNumber), "$number", f.FrameNumber));
                        await add.ExecuteNonQueryAsync();
                    }
                    counts[i] = new Counts(1, inserted);
                }
                await transaction.CommitAsync();
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        return counts;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Binds the values, each as the model stores its property (SQLite keeps ids as text and instants as integers).</summary>
    private static void Bind(DbCommand command, params (IEntityType Entity, string Property, string Name, object? Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (entity, property, name, value) in values)
            command.Parameters.Add(Mapping(entity, property).CreateParameter(command, name, value, nullable: true));
    }

    private static RelationalTypeMapping Mapping(IEntityType entity, string property) => entity.FindProperty(property)!.GetRelationalTypeMapping();

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
