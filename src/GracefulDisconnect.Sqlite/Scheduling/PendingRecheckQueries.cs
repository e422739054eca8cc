using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Sqlite;

/// <summary>The read side of the <c>pending_recheck</c> table; every query walks the index on due time.</summary>
internal sealed class PendingRecheckQueries(SqliteDatabase database)
{
    /// <summary>The earliest due re-checks, at most <paramref name="limit"/>.</summary>
    public async ValueTask<List<PendingRecheck>> ReadDueAsync(long nowTicks, int limit, CancellationToken cancellationToken)
    {
        var due = new List<PendingRecheck>(limit);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT thing, disconnected_at, version, due_at FROM pending_recheck
                WHERE due_at <= $now ORDER BY due_at LIMIT $limit
                """;
            command.Parameters.AddWithValue("$now", nowTicks);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                due.Add(new PendingRecheck(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        return due;
    }

    /// <summary>The due time of the first re-check due after <paramref name="nowTicks"/>, if any.</summary>
    public async ValueTask<long?> NextDueAfterAsync(long nowTicks, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT min(due_at) FROM pending_recheck WHERE due_at > $now";
            command.Parameters.AddWithValue("$now", nowTicks);
            return command.ExecuteScalar() as long?;
        }
    }

    /// <summary>How many re-checks are stored, and how many of them are due.</summary>
    public async ValueTask<(long Pending, long Due)> CountAsync(long nowTicks, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*), count(*) FILTER (WHERE due_at <= $now) FROM pending_recheck";
            command.Parameters.AddWithValue("$now", nowTicks);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    /// <summary>One stored re-check, if present (for inspection and tests).</summary>
    public async ValueTask<PendingRecheck?> FindAsync(PendingRecheckKey key, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT due_at FROM pending_recheck WHERE thing = $thing AND disconnected_at = $at AND version = $version";
            command.Parameters.AddWithValue("$thing", key.ThingName);
            command.Parameters.AddWithValue("$at", key.DisconnectedAtTicks);
            command.Parameters.AddWithValue("$version", key.Version);
            return command.ExecuteScalar() is long due
                ? new PendingRecheck(key.ThingName, key.DisconnectedAtTicks, key.Version, due)
                : null;
        }
    }
}
