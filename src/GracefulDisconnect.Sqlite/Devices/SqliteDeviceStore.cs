using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The <see cref="IDeviceStore"/> in one SQLite file, for one process: the process holds an OS lock on the file for
/// as long as the store is open, so a second process on the same file fails at once instead of sending what the first
/// one sends. One connection, one transaction per commit however many devices it holds (group commit): a commit of
/// a thousand devices costs about as much as one. WAL journal with <c>synchronous = NORMAL</c>: a commit survives the
/// process being killed (not a power cut of the machine).
/// </summary>
public sealed class SqliteDeviceStore : IDeviceStore, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly SqliteCommand _load;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _enqueue;
    private bool _disposed;

    private readonly TimeProvider _time;

    private SqliteDeviceStore(string path, FileStream fileLock, SqliteConnection connection, TimeProvider time)
    {
        Path = path;
        _time = time;
        _lock = fileLock;
        _connection = connection;
        _load = Prepare("SELECT version, state FROM device WHERE thing = $thing;", "$thing");
        _insert = Prepare("INSERT INTO device (thing, version, state, wake_at, offline, status_since) VALUES ($thing, 1, $state, $wake, $offline, $since) ON CONFLICT (thing) DO NOTHING;", "$thing", "$state", "$wake", "$offline", "$since");
        _update = Prepare("UPDATE device SET version = version + 1, state = $state, wake_at = $wake, lease_until = 0, offline = $offline, status_since = $since WHERE thing = $thing AND version = $expected;", "$thing", "$state", "$wake", "$expected", "$offline", "$since");
        _enqueue = Prepare("INSERT INTO delivery (channel, notification_id, payload) VALUES ($channel, $id, $payload) ON CONFLICT (channel, notification_id) DO NOTHING;", "$channel", "$id", "$payload");
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the store, creating the file (not its folder) and its schema on first use, and takes the file's lock.
    /// </summary>
    /// <param name="path">The database file, for example <c>/var/lib/gracefuldisconnect/store.db</c>.</param>
    /// <param name="time">The clock that stamps deliveries; the system clock by default.</param>
    /// <returns>The open store; dispose it to release the file.</returns>
    /// <exception cref="DeviceStoreException">
    /// The folder does not exist, the file is in use by another process, read-only, not a database, corrupt, or of a
    /// newer schema. The message names the file and the problem.
    /// </exception>
    public static SqliteDeviceStore Open(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new DeviceStoreException($"store '{full}' is a directory; give a file path, for example {System.IO.Path.Combine(full, "gracefuldisconnect.db")}");
        }

        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            // A typo in the path must not silently start a fresh store (which would notify every outage again).
            throw new DeviceStoreException($"store '{full}': the folder '{folder}' does not exist; create it first");
        }

        var fileLock = TakeLock(full);
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = full,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            connection.Open();
            // A batch updates rows all over the table: a page cache that holds a large fleet's rows (64 MiB at most,
            // SQLite's default is 2 MiB) and the file mapped keep a commit from reading pages back one by one.
            Execute(connection, "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;");
            var mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DeviceStoreException($"store '{full}': SQLite could not switch to WAL journal mode (it reports '{mode}'); is the file on a network file system?");
            }

            Migrate(connection, full);

            // Claims are for other processes; holding the file's lock, this one has none to respect. A claim left
            // by a process that was killed would otherwise hold its devices and messages until the lease ran out.
            Execute(connection, "UPDATE device SET lease_until = 0 WHERE lease_until <> 0; UPDATE delivery SET lease_until = 0 WHERE lease_until <> 0;");
            return new SqliteDeviceStore(full, fileLock, connection, time ?? TimeProvider.System);
        }
        catch (SqliteException exception)
        {
            connection?.Dispose();
            fileLock.Dispose();
            throw SqliteFailure.Describe(exception, full);
        }
        catch
        {
            connection?.Dispose();
            fileLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        return Run<IReadOnlyList<StoredDevice>>(
            () =>
            {
                var found = new List<StoredDevice>(thingNames.Count);
                foreach (var thing in thingNames)
                {
                    _load.Parameters[0].Value = thing;
                    using var reader = _load.ExecuteReader();
                    if (reader.Read())
                    {
                        found.Add(new StoredDevice(thing, reader.GetInt64(0), reader.GetString(1)));
                    }
                }

                return found;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return Run<IReadOnlyCollection<string>>(
            () =>
            {
                EnsureFileStillThere();
                var conflicts = new List<string>();
                using var transaction = _connection.BeginTransaction(deferred: false);
                _insert.Transaction = _update.Transaction = _enqueue.Transaction = transaction;
                foreach (var change in changes)
                {
                    var wake = change.WakeAt is { } at ? (object)at.UtcTicks : DBNull.Value;
                    var offline = change.Status is { } status ? (object)(status.Offline ? 1 : 0) : DBNull.Value;
                    var since = change.Status is { } statusSince ? (object)statusSince.Since.UtcTicks : DBNull.Value;
                    int written;
                    if (change.ExpectedVersion == 0)
                    {
                        _insert.Parameters[0].Value = change.ThingName;
                        _insert.Parameters[1].Value = change.State;
                        _insert.Parameters[2].Value = wake;
                        _insert.Parameters[3].Value = offline;
                        _insert.Parameters[4].Value = since;
                        written = _insert.ExecuteNonQuery();
                    }
                    else
                    {
                        _update.Parameters[0].Value = change.ThingName;
                        _update.Parameters[1].Value = change.State;
                        _update.Parameters[2].Value = wake;
                        _update.Parameters[3].Value = change.ExpectedVersion;
                        _update.Parameters[4].Value = offline;
                        _update.Parameters[5].Value = since;
                        written = _update.ExecuteNonQuery();
                    }

                    if (written == 0)
                    {
                        conflicts.Add(change.ThingName);
                        continue;
                    }

                    foreach (var message in change.Outbox)
                    {
                        _enqueue.Parameters[0].Value = message.Channel;
                        _enqueue.Parameters[1].Value = message.NotificationId;
                        _enqueue.Parameters[2].Value = message.Payload;
                        _enqueue.ExecuteNonQuery();
                    }
                }

                transaction.Commit();
                return conflicts;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return Run<IReadOnlyList<string>>(
            () =>
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                using var select = Command("SELECT thing FROM device WHERE wake_at <= $now AND lease_until <= $now ORDER BY wake_at LIMIT $max;", transaction);
                select.Parameters.AddWithValue("$now", now.UtcTicks);
                select.Parameters.AddWithValue("$max", max);
                var claimed = new List<string>();
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        claimed.Add(reader.GetString(0));
                    }
                }

                using var claim = Command("UPDATE device SET lease_until = $until WHERE thing = $thing;", transaction);
                claim.Parameters.AddWithValue("$until", (now + lease).UtcTicks);
                var thing = claim.Parameters.Add("$thing", SqliteType.Text);
                foreach (var name in claimed)
                {
                    thing.Value = name;
                    claim.ExecuteNonQuery();
                }

                transaction.Commit();
                return claimed;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return Run<IReadOnlyList<PendingDelivery>>(
            () =>
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                using var select = Command("SELECT seq, notification_id, payload, attempts FROM delivery WHERE channel = $channel AND delivered_at IS NULL AND next_attempt_at <= $now AND lease_until <= $now ORDER BY seq LIMIT $max;", transaction);
                select.Parameters.AddWithValue("$channel", channel);
                select.Parameters.AddWithValue("$now", now.UtcTicks);
                select.Parameters.AddWithValue("$max", max);
                var claimed = new List<PendingDelivery>();
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        claimed.Add(new PendingDelivery(reader.GetInt64(0), channel, reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
                    }
                }

                using var claim = Command("UPDATE delivery SET lease_until = $until WHERE seq = $seq;", transaction);
                claim.Parameters.AddWithValue("$until", (now + lease).UtcTicks);
                var seq = claim.Parameters.Add("$seq", SqliteType.Integer);
                foreach (var delivery in claimed)
                {
                    seq.Value = delivery.Sequence;
                    claim.ExecuteNonQuery();
                }

                transaction.Commit();
                return claimed;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default)
        => RunVoid("UPDATE delivery SET delivered_at = $now, lease_until = 0 WHERE seq = $seq;", sequence, _time.GetUtcNow().UtcTicks, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
        => RunVoid("UPDATE delivery SET attempts = attempts + 1, next_attempt_at = $now, lease_until = 0 WHERE seq = $seq AND delivered_at IS NULL;", sequence, retryAt.UtcTicks, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Max, 1);
        return Run<IReadOnlyList<ListedDevice>>(
            () =>
            {
                // Row values compare (since, thing) as one key; thing is TEXT with SQLite's BINARY collation, i.e. ordinal on UTF-8,
                // which orders as ordinal UTF-16 for every name ThingName accepts (no surrogates).
                var (direction, after) = query.NewestFirst ? ("DESC", "<") : ("ASC", ">");
                using var select = _connection.CreateCommand();
                select.CommandText = $"SELECT thing, version, state, status_since FROM device WHERE offline = $offline{(query.After is null ? string.Empty : $" AND (status_since, thing) {after} ($since, $thing)")} ORDER BY status_since {direction}, thing {direction} LIMIT $max;";
                select.Parameters.AddWithValue("$offline", query.Offline ? 1 : 0);
                select.Parameters.AddWithValue("$max", query.Max);
                if (query.After is { } cursor)
                {
                    select.Parameters.AddWithValue("$since", cursor.Since.UtcTicks);
                    select.Parameters.AddWithValue("$thing", cursor.ThingName);
                }

                var listed = new List<ListedDevice>();
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    var device = new StoredDevice(reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
                    listed.Add(new ListedDevice(device, new DeviceStatus(query.Offline, new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero))));
                }

                return listed;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default)
        => Run(
            () => new DeviceStoreCounts(
                (long)Scalar(_connection, "SELECT count(*) FROM device WHERE wake_at IS NOT NULL;")!,
                (long)Scalar(_connection, "SELECT count(*) FROM delivery WHERE delivered_at IS NULL;")!,
                (long)Scalar(_connection, "SELECT count(*) FROM device WHERE offline = 1;")!),
            cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _load.Dispose();
        _insert.Dispose();
        _update.Dispose();
        _enqueue.Dispose();
        _connection.Dispose();
        _lock.Dispose();
        _gate.Dispose();
    }

    // The lock file beside the database: FileShare.None is an exclusive, non-blocking flock on Unix and a sharing
    // lock on Windows; the OS releases it when the process dies, however it dies.
    private static FileStream TakeLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            throw new DeviceStoreException($"store '{path}' is in use by another process (its lock '{lockPath}' is held); stop that process or choose another --store");
        }
        catch (UnauthorizedAccessException)
        {
            throw new DeviceStoreException($"store '{path}': cannot create its lock file '{lockPath}': the folder is read-only for this user");
        }
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "CREATE TABLE IF NOT EXISTS device_store_schema (version INTEGER NOT NULL); SELECT max(version) FROM device_store_schema;";
        var found = command.ExecuteScalar() is long version ? (int)version : 0;
        if (found > SqliteDeviceSchema.CurrentVersion)
        {
            throw new DeviceStoreException($"store '{path}' has schema version {found}, newer than the {SqliteDeviceSchema.CurrentVersion} this version of GracefulDisconnect knows; upgrade, or use another file");
        }

        for (var next = found + 1; next <= SqliteDeviceSchema.CurrentVersion; next++)
        {
            command.CommandText = SqliteDeviceSchema.Migrations[next - 1];
            command.ExecuteNonQuery();
        }

        if (found < SqliteDeviceSchema.CurrentVersion)
        {
            command.CommandText = "DELETE FROM device_store_schema; INSERT INTO device_store_schema (version) VALUES ($version);";
            command.Parameters.AddWithValue("$version", SqliteDeviceSchema.CurrentVersion);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    // A file deleted while open lives on unlinked: writes would succeed into nothing a restart could read.
    private void EnsureFileStillThere()
    {
        if (!File.Exists(Path))
        {
            throw new DeviceStoreException($"store '{Path}' was deleted while in use; nothing more can be recorded (restart to create it again)");
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private SqliteCommand Command(string sql, SqliteTransaction transaction)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private ValueTask RunVoid(string sql, long sequence, long ticks, CancellationToken cancellationToken)
        => new(Run(
            () =>
            {
                using var command = _connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("$seq", sequence);
                command.Parameters.AddWithValue("$now", ticks);
                command.ExecuteNonQuery();
                return true;
            },
            cancellationToken).AsTask());

    // One operation at a time on the one connection; SQLite's own errors become messages naming the file.
    private async ValueTask<T> Run<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return operation();
        }
        catch (SqliteException exception)
        {
            throw SqliteFailure.Describe(exception, Path);
        }
        finally
        {
            _gate.Release();
        }
    }
}
