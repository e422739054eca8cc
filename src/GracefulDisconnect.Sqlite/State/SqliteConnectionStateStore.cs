using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The last known connection state of each thing, kept from events (<see cref="IConnectionStateRecorder"/>)
/// and read back at re-check time (<see cref="IShadowReader"/>): the state source when no cloud shadow exists.
/// It also keeps each thing's recent changes, so a re-check reads the state as it was when its grace period
/// ended (<see cref="IPointInTimeShadowReader"/>), whatever arrived since.
/// </summary>
internal sealed class SqliteConnectionStateStore(
    SqliteDatabase database,
    IOptions<GracefulDisconnectOptions> engineOptions,
    ILogger<SqliteConnectionStateStore> logger)
    : IConnectionStateRecorder, IPointInTimeShadowReader
{
    // The latest change at or before an instant, by the same order as RecordSql: time, version, disconnect last.
    private const string ReadAsOfSql = """
        SELECT connected, changed_at, version FROM connection_event
        WHERE thing = $thing AND changed_at <= $asOf
        ORDER BY changed_at DESC, version DESC, connected ASC LIMIT 1
        """;

    private const string RecordHistorySql = """
        INSERT OR IGNORE INTO connection_event (thing, changed_at, version, connected) VALUES ($thing, $at, $version, $connected);
        DELETE FROM connection_event WHERE thing = $thing AND changed_at < (
            SELECT max(kept.changed_at) FROM connection_event AS kept WHERE kept.thing = $thing AND kept.changed_at <= $at - $history);
        """;

    // The ordering rule of the replay tool, in one atomic statement: a row value compares its parts in
    // turn, so the event replaces the stored state only when (time, version, is-disconnect) is greater.
    // A missing version is stored as the smallest number, which makes it the older of two equal times.
    private const string RecordSql = """
        INSERT INTO connection_state (thing, connected, changed_at, version) VALUES ($thing, $connected, $at, $version)
        ON CONFLICT (thing) DO UPDATE SET connected = excluded.connected, changed_at = excluded.changed_at, version = excluded.version
        WHERE (excluded.changed_at, excluded.version, excluded.connected = 0) > (connection_state.changed_at, connection_state.version, connection_state.connected = 0)
        """;

    // Changes are kept as long as a re-check may still ask about them: the longest grace period plus a day
    // for re-checks that run late. Older ones go, except the last one before that horizon, which is the
    // state for any older instant.
    private readonly long _historyTicks = (engineOptions.Value.GracePeriodOverrides.Values.Append(engineOptions.Value.GracePeriod).Max() + TimeSpan.FromDays(1)).Ticks;

    public async ValueTask<bool> RecordAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default)
    {
        if (!ThingName.IsValid(connectionEvent.ThingName, out var problem))
        {
            throw new ArgumentException($"Thing name {problem}.", nameof(connectionEvent));
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One transaction: the history and the latest state never disagree, even after a kill.
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = RecordHistorySql;
            command.Parameters.AddWithValue("$thing", connectionEvent.ThingName);
            command.Parameters.AddWithValue("$connected", connectionEvent.Connected);
            command.Parameters.AddWithValue("$at", connectionEvent.At.UtcTicks);
            command.Parameters.AddWithValue("$version", connectionEvent.Version ?? SqliteSchema.NoVersion);
            command.Parameters.AddWithValue("$history", _historyTicks);
            command.ExecuteNonQuery();
            command.CommandText = RecordSql;
            var recorded = command.ExecuteNonQuery() == 1;
            transaction.Commit();
            if (recorded)
            {
                return true;
            }
        }

        SqliteLog.StaleEventIgnored(logger, connectionEvent.ThingName, connectionEvent.At);
        return false;
    }

    public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(thingName);
        return ReadAsync("SELECT connected, changed_at, version FROM connection_state WHERE thing = $thing", thingName, null, cancellationToken);
    }

    public async ValueTask<ConnectionSnapshot?> ReadAsOfAsync(string thingName, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(thingName);

        // Nothing that old is kept (or the thing's events were never recorded here): the latest state is the best answer.
        return await ReadAsync(ReadAsOfSql, thingName, asOf.UtcTicks, cancellationToken).ConfigureAwait(false)
            ?? await ReadAsync(thingName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The things whose last known state is disconnected, as triggers. A host re-schedules them on start so a
    /// crash between recording a disconnect and scheduling its re-check loses nothing (scheduling is idempotent).
    /// </summary>
    internal async ValueTask<List<DisconnectTrigger>> ReadDisconnectedAsync(CancellationToken cancellationToken = default)
    {
        var triggers = new List<DisconnectTrigger>();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT thing, changed_at, version FROM connection_state WHERE connected = 0";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var version = reader.GetInt64(2);
                triggers.Add(new DisconnectTrigger(
                    reader.GetString(0),
                    new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                    version == SqliteSchema.NoVersion ? null : version));
            }
        }

        return triggers;
    }

    private async ValueTask<ConnectionSnapshot?> ReadAsync(string sql, string thingName, long? asOfTicks, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$thing", thingName);
            if (asOfTicks is { } ticks)
            {
                command.Parameters.AddWithValue("$asOf", ticks);
            }

            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var version = reader.GetInt64(2);
            return new ConnectionSnapshot(
                reader.GetBoolean(0),
                new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                version == SqliteSchema.NoVersion ? null : version);
        }
    }
}
