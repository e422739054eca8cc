using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Cli.Sweep;

/// <summary>
/// <c>sweep --store</c>: the outages already published, in one SQLite table, so that running the sweep every few
/// minutes from cron publishes each outage once. An outage is the thing and the millisecond its disconnect was
/// stamped in the fleet index, which stays the same until the device reconnects. A row is written only after
/// SNS accepted the message: a crash in between publishes again on the next run (at least once, never lost).
/// </summary>
internal sealed class NotifiedOutages : IDisposable
{
    private readonly SqliteConnection _connection;

    private NotifiedOutages(SqliteConnection connection) => _connection = connection;

    public static NotifiedOutages Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();

            // WAL and a busy timeout: two overlapping cron runs wait for each other instead of failing.
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA busy_timeout = 5000;
                CREATE TABLE IF NOT EXISTS sweep_notified (
                    thing TEXT NOT NULL,
                    offline_since_ms INTEGER NOT NULL,
                    notified_at_ms INTEGER NOT NULL,
                    message_id TEXT,
                    PRIMARY KEY (thing, offline_since_ms)
                ) WITHOUT ROWID;
                """;
            command.ExecuteNonQuery();
            return new NotifiedOutages(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public bool Contains(string thing, DateTimeOffset offlineSince)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sweep_notified WHERE thing = $thing AND offline_since_ms = $since";
        command.Parameters.AddWithValue("$thing", thing);
        command.Parameters.AddWithValue("$since", offlineSince.ToUnixTimeMilliseconds());
        return command.ExecuteScalar() is not null;
    }

    public void Add(string thing, DateTimeOffset offlineSince, DateTimeOffset notifiedAt, string? messageId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO sweep_notified (thing, offline_since_ms, notified_at_ms, message_id) VALUES ($thing, $since, $at, $id)";
        command.Parameters.AddWithValue("$thing", thing);
        command.Parameters.AddWithValue("$since", offlineSince.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$at", notifiedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$id", (object?)messageId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
