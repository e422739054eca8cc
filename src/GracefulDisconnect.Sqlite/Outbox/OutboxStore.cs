using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The <c>outbox</c> table, which is also the ledger: one row per claimed outage, holding the notification
/// until it is confirmed sent. The newest row of a thing is its last claimed outage, which decides whether
/// a later claim is a duplicate or an older outage. Claims record who holds them (<see cref="Owner"/>, one
/// id per process) and until when, so the outbox dispatcher never re-sends a claim in flight here.
/// </summary>
internal sealed class OutboxStore
{
    private const string Claimed = "claimed";
    private const string Released = "released";
    private const string Sent = "sent";

    // Rows the outbox may send now: due for an attempt, or (while recovering after a start) claimed by a
    // process that is gone. A claim of this process is due only when its lease ran out.
    private const string ResendableCondition = """
        status <> 'sent' AND (next_attempt_at <= $now OR ($recovering AND status = 'claimed' AND claimed_by IS NOT $owner))
        """;

    private readonly SqliteDatabase _database;
    private readonly SqliteStoreOptions _options;

    public OutboxStore(SqliteDatabase database, IOptions<SqliteStoreOptions> options)
    {
        _database = database;
        _options = options.Value;
    }

    /// <summary>Identifies the claims of this process.</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

    public async ValueTask<LedgerClaim> TryClaimAsync(OutageId outage, string notificationJson, long nowTicks, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Immediate: the check and the write must see the same newest row, whoever else claims.
            using var transaction = connection.BeginTransaction();
            using var command = Command(connection, transaction, "SELECT started_at, status FROM outbox WHERE thing = $thing ORDER BY started_at DESC LIMIT 1");
            command.Parameters.AddWithValue("$thing", outage.ThingName);
            long? newest = null;
            string? status = null;
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    newest = reader.GetInt64(0);
                    status = reader.GetString(1);
                }
            }

            if (newest > outage.StartedAtEpochSeconds)
            {
                return LedgerClaim.OlderThanNotified;
            }

            if (newest == outage.StartedAtEpochSeconds && status != Released)
            {
                return LedgerClaim.AlreadyNotified;
            }

            // New outage, or one whose last attempt failed and was given back: claim it with the notification as rendered now.
            command.CommandText = """
                INSERT INTO outbox (thing, started_at, status, notification, claimed_by, claimed_at, next_attempt_at, attempts)
                VALUES ($thing, $started, 'claimed', $notification, $owner, $now, $leaseEnd, 0)
                ON CONFLICT DO UPDATE SET status = 'claimed', notification = excluded.notification, claimed_by = excluded.claimed_by,
                    claimed_at = excluded.claimed_at, next_attempt_at = excluded.next_attempt_at
                """;
            command.Parameters.AddWithValue("$started", outage.StartedAtEpochSeconds);
            command.Parameters.AddWithValue("$notification", notificationJson);
            command.Parameters.AddWithValue("$owner", Owner);
            command.Parameters.AddWithValue("$now", nowTicks);
            command.Parameters.AddWithValue("$leaseEnd", nowTicks + _options.OutboxLease.Ticks);
            command.ExecuteNonQuery();
            transaction.Commit();
            return LedgerClaim.Claimed;
        }
    }

    public async ValueTask MarkSentAsync(OutageId outage, long nowTicks, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Whoever holds the claim now: a late confirmation of the same notification is still true.
            using var command = Command(connection, null, """
                UPDATE outbox SET status = 'sent', sent_at = $now, claimed_by = NULL
                WHERE thing = $thing AND started_at = $started AND status <> 'sent'
                """);
            AddOutage(command, outage);
            command.Parameters.AddWithValue("$now", nowTicks);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Gives back a claim of this process after a failed send; the next attempt waits a backoff.</summary>
    /// <returns>When the outbox will try next, or <see langword="null"/> when this process did not hold the claim.</returns>
    public async ValueTask<DateTimeOffset?> ReleaseAsync(OutageId outage, long nowTicks, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction();
            using var command = Command(connection, transaction, """
                SELECT attempts FROM outbox WHERE thing = $thing AND started_at = $started AND status = 'claimed' AND claimed_by = $owner
                """);
            AddOutage(command, outage);
            command.Parameters.AddWithValue("$owner", Owner);
            if (command.ExecuteScalar() is not long attempts)
            {
                return null;
            }

            var failed = (int)Math.Min(attempts + 1, int.MaxValue);
#pragma warning disable CA5394 // Jitter spreads retries; it guards nothing.
            var backoff = OutboxBackoff.Delay(failed, _options.OutboxInitialBackoff, _options.OutboxMaxBackoff, Random.Shared.NextDouble());
#pragma warning restore CA5394
            var nextAttempt = nowTicks + backoff.Ticks;
            command.CommandText = """
                UPDATE outbox SET status = 'released', claimed_by = NULL, attempts = $attempts, next_attempt_at = $next
                WHERE thing = $thing AND started_at = $started
                """;
            command.Parameters.AddWithValue("$attempts", failed);
            command.Parameters.AddWithValue("$next", nextAttempt);
            command.ExecuteNonQuery();
            transaction.Commit();
            return new DateTimeOffset(nextAttempt, TimeSpan.Zero);
        }
    }

    /// <summary>Notifications the outbox may send now, earliest first.</summary>
    public async ValueTask<List<OutboxEntry>> ReadResendableAsync(long nowTicks, bool recovering, int limit, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"""
                SELECT thing, started_at, status, notification, attempts, next_attempt_at FROM outbox
                WHERE {ResendableCondition} ORDER BY next_attempt_at LIMIT $limit
                """);
            AddResendable(command, nowTicks, recovering);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(Read(reader));
            }
        }

        return entries;
    }

    /// <summary>Claims a resendable notification for the outbox; <see langword="false"/> when someone took it first.</summary>
    public async ValueTask<bool> TryTakeAsync(OutageId outage, long nowTicks, bool recovering, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"""
                UPDATE outbox SET status = 'claimed', claimed_by = $owner, claimed_at = $now, next_attempt_at = $leaseEnd
                WHERE thing = $thing AND started_at = $started AND {ResendableCondition}
                """);
            AddOutage(command, outage);
            AddResendable(command, nowTicks, recovering);
            command.Parameters.AddWithValue("$leaseEnd", nowTicks + _options.OutboxLease.Ticks);
            return command.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>How many notifications are not confirmed sent, and when the earliest of them is due for an attempt.</summary>
    public async ValueTask<(long Unsent, long? NextAttemptTicks)> SummarizeUnsentAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, "SELECT count(*), min(next_attempt_at) FROM outbox WHERE status <> 'sent'");
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
        }
    }

    /// <summary>Deletes sent notifications older than the cutoff, except the newest of each thing (the ledger needs it).</summary>
    public async ValueTask<int> PruneSentAsync(long cutoffTicks, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, """
                DELETE FROM outbox WHERE status = 'sent' AND sent_at < $cutoff
                    AND started_at < (SELECT max(newer.started_at) FROM outbox AS newer WHERE newer.thing = outbox.thing)
                """);
            command.Parameters.AddWithValue("$cutoff", cutoffTicks);
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>One row, if present (for inspection and tests).</summary>
    public async ValueTask<OutboxEntry?> FindAsync(OutageId outage, CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, """
                SELECT thing, started_at, status, notification, attempts, next_attempt_at FROM outbox
                WHERE thing = $thing AND started_at = $started
                """);
            AddOutage(command, outage);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }
    }

    private static OutboxEntry Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2) switch
        {
            Claimed => OutboxStatus.Claimed,
            Released => OutboxStatus.Released,
            Sent => OutboxStatus.Sent,
            var other => throw new InvalidDataException($"Unknown outbox status '{other}'."),
        },
        reader.GetString(3),
        reader.GetInt32(4),
        reader.GetInt64(5));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddOutage(SqliteCommand command, OutageId outage)
    {
        command.Parameters.AddWithValue("$thing", outage.ThingName);
        command.Parameters.AddWithValue("$started", outage.StartedAtEpochSeconds);
    }

    private void AddResendable(SqliteCommand command, long nowTicks, bool recovering)
    {
        command.Parameters.AddWithValue("$now", nowTicks);
        command.Parameters.AddWithValue("$recovering", recovering);
        command.Parameters.AddWithValue("$owner", Owner);
    }
}
