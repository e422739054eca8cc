using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The last known connection state of each thing, kept from events (<see cref="IConnectionStateRecorder"/>)
/// and read back at re-check time (<see cref="IShadowReader"/>): the state source when no cloud shadow exists.
/// </summary>
internal sealed class SqliteConnectionStateStore(SqliteDatabase database, ILogger<SqliteConnectionStateStore> logger)
    : IConnectionStateRecorder, IShadowReader
{
    // The ordering rule of the replay tool, in one atomic statement: a row value compares its parts in
    // turn, so the event replaces the stored state only when (time, version, is-disconnect) is greater.
    // A missing version is stored as the smallest number, which makes it the older of two equal times.
    private const string RecordSql = """
        INSERT INTO connection_state (thing, connected, changed_at, version) VALUES ($thing, $connected, $at, $version)
        ON CONFLICT (thing) DO UPDATE SET connected = excluded.connected, changed_at = excluded.changed_at, version = excluded.version
        WHERE (excluded.changed_at, excluded.version, excluded.connected = 0) > (connection_state.changed_at, connection_state.version, connection_state.connected = 0)
        """;

    public async ValueTask<bool> RecordAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default)
    {
        if (!ThingName.IsValid(connectionEvent.ThingName, out var problem))
        {
            throw new ArgumentException($"Thing name {problem}.", nameof(connectionEvent));
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = RecordSql;
            command.Parameters.AddWithValue("$thing", connectionEvent.ThingName);
            command.Parameters.AddWithValue("$connected", connectionEvent.Connected);
            command.Parameters.AddWithValue("$at", connectionEvent.At.UtcTicks);
            command.Parameters.AddWithValue("$version", connectionEvent.Version ?? SqliteSchema.NoVersion);
            if (command.ExecuteNonQuery() == 1)
            {
                return true;
            }
        }

        SqliteLog.StaleEventIgnored(logger, connectionEvent.ThingName, connectionEvent.At);
        return false;
    }

    public async ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(thingName);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT connected, changed_at, version FROM connection_state WHERE thing = $thing";
            command.Parameters.AddWithValue("$thing", thingName);
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
}
