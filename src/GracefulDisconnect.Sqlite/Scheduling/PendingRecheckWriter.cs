using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The only writer of the <c>pending_recheck</c> table. Changes queue in a channel; one loop takes
/// whatever has queued (up to a batch size) and commits it in one transaction, then completes every
/// caller of that batch. Under load that turns thousands of scheduling calls into a handful of commits,
/// and since SQLite has one writer at a time anyway, nothing here waits on another writer of this table.
/// </summary>
internal sealed class PendingRecheckWriter : IAsyncDisposable
{
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteDatabase _database;
    private readonly int _maxBatchSize;
    private readonly Action<long> _committed;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _batches;

    /// <param name="database">The database.</param>
    /// <param name="maxBatchSize">Most changes per transaction.</param>
    /// <param name="committed">Called after each commit with the earliest due time written in it (<see cref="long.MaxValue"/> if none).</param>
    /// <param name="logger">The logger.</param>
    public PendingRecheckWriter(SqliteDatabase database, int maxBatchSize, Action<long> committed, ILogger logger)
    {
        _database = database;
        _maxBatchSize = maxBatchSize;
        _committed = committed;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    private enum ChangeKind
    {
        // Insert, or keep the earlier due time when the trigger is already stored.
        Schedule,

        // Insert, or set this due time: the outcome of a re-check that asked to come back.
        Reschedule,

        Delete,
    }

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Stores a re-check; completes once committed.</summary>
    public Task ScheduleAsync(in PendingRecheck recheck) => Enqueue(new Change(ChangeKind.Schedule, recheck));

    /// <summary>Moves a re-check to a new due time; completes once committed.</summary>
    public Task RescheduleAsync(in PendingRecheck recheck) => Enqueue(new Change(ChangeKind.Reschedule, recheck));

    /// <summary>Removes a re-check; completes once committed.</summary>
    public Task DeleteAsync(in PendingRecheckKey key)
        => Enqueue(new Change(ChangeKind.Delete, new PendingRecheck(key.ThingName, key.DisconnectedAtTicks, key.Version, 0)));

    /// <summary>Writes what is queued, then stops; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private Task Enqueue(Change change)
    {
        ObjectDisposedException.ThrowIf(!_changes.Writer.TryWrite(change), this);
        return change.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Change>(_maxBatchSize);
        var reader = _changes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatchSize && reader.TryRead(out var change))
            {
                batch.Add(change);
            }

            long earliestDue;
            try
            {
                earliestDue = await CommitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The callers learn it (a schedule call throws, the dispatcher keeps the row); the loop goes on.
                SqliteLog.WriteBatchFailed(_logger, batch.Count, exception);
                foreach (var change in batch)
                {
                    change.TrySetException(exception);
                }

                continue;
            }

            Interlocked.Increment(ref _batches);
            foreach (var change in batch)
            {
                change.TrySetResult();
            }

            _committed(earliestDue);
        }
    }

    private async ValueTask<long> CommitAsync(List<Change> batch)
    {
        var connection = await _database.OpenAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction();
            using var schedule = Prepare(connection, transaction, """
                INSERT INTO pending_recheck (thing, disconnected_at, version, due_at) VALUES ($thing, $at, $version, $due)
                ON CONFLICT DO UPDATE SET due_at = min(due_at, excluded.due_at)
                """);
            using var reschedule = Prepare(connection, transaction, """
                INSERT INTO pending_recheck (thing, disconnected_at, version, due_at) VALUES ($thing, $at, $version, $due)
                ON CONFLICT DO UPDATE SET due_at = excluded.due_at
                """);
            using var delete = Prepare(connection, transaction, """
                DELETE FROM pending_recheck WHERE thing = $thing AND disconnected_at = $at AND version = $version
                """);

            var earliestDue = long.MaxValue;
            foreach (var change in batch)
            {
                var command = change.Kind switch
                {
                    ChangeKind.Schedule => schedule,
                    ChangeKind.Reschedule => reschedule,
                    _ => delete,
                };
                var row = change.Recheck;
                command.Parameters[0].Value = row.ThingName;
                command.Parameters[1].Value = row.DisconnectedAtTicks;
                command.Parameters[2].Value = row.Version;
                command.Parameters[3].Value = row.DueTicks;
                command.ExecuteNonQuery();
                if (change.Kind != ChangeKind.Delete && row.DueTicks < earliestDue)
                {
                    earliestDue = row.DueTicks;
                }
            }

            transaction.Commit();
            return earliestDue;
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add("$thing", SqliteType.Text);
        command.Parameters.Add("$at", SqliteType.Integer);
        command.Parameters.Add("$version", SqliteType.Integer);

        // Delete has no due time; Microsoft.Data.Sqlite binds only the parameters a statement names.
        command.Parameters.Add("$due", SqliteType.Integer);
        return command;
    }

    // The change is its own completion: one allocation per call. Continuations run off the write loop.
    private sealed class Change(ChangeKind kind, PendingRecheck recheck) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public ChangeKind Kind { get; } = kind;

        public PendingRecheck Recheck { get; } = recheck;
    }
}
