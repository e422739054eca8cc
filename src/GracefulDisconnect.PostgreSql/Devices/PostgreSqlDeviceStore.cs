using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// The <see cref="IDeviceStore"/> in PostgreSQL, shared by any number of processes on one database and schema: each
/// commit is one transaction, conditional per device on its version column; due wakes and outbox messages are claimed
/// with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so each goes to exactly one process, and a process that dies leaves
/// its claims to be taken over when they expire. A commit that makes work due NOTIFYs the deployment's channel
/// (<see cref="WaitForSignalAsync"/>). The schema is created or migrated on first use. Thread-safe.
/// </summary>
public sealed class PostgreSqlDeviceStore : IDeviceStore, IDeviceStoreSignal, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlDeviceSql _sql;
    private readonly PostgreSqlWakeListener _listener;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _password;
    private readonly Lock _schemaGate = new();
    private Task? _schema;
    private int _disposed;

    private PostgreSqlDeviceStore(NpgsqlConnectionStringBuilder connection, string schema, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _password = connection.Password;
        Server = PostgreSqlConnectionString.Describe(connection);
        _sql = new PostgreSqlDeviceSql(schema);
        _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        _listener = new PostgreSqlWakeListener(_dataSource, _sql, time, logger);
    }

    /// <summary>The server and database, as <c>postgresql://user@host:port/database</c> (no password).</summary>
    public string Server { get; }

    /// <summary>The schema that holds the store's tables.</summary>
    public string Schema => _sql.Schema;

    /// <summary>
    /// Opens the store and creates or migrates its schema, so a wrong password, an unreachable server or a newer
    /// schema is reported here rather than at the first event.
    /// </summary>
    /// <param name="options">Where the database is, and the schema.</param>
    /// <param name="time">The clock that stamps deliveries and decides which commits signal; the system clock by default.</param>
    /// <param name="loggerFactory">Where the store logs; nowhere by default.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open store; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">The options are not valid (the message names the option and the fix).</exception>
    /// <exception cref="DeviceStoreException">
    /// The server cannot be reached or refused the login, the user lacks a privilege, or the schema is of a newer
    /// version. The message names the server, never the password.
    /// </exception>
    public static async Task<PostgreSqlDeviceStore> OpenAsync(PostgreSqlStoreOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var store = Create(options, time, loggerFactory);
        try
        {
            await store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates the store without touching the server; the schema is created or migrated by the first call. For
    /// dependency injection, whose factories cannot wait (<c>UsePostgreSqlStore</c>).
    /// </summary>
    /// <param name="options">Where the database is, and the schema.</param>
    /// <param name="time">The clock; the system clock by default.</param>
    /// <param name="loggerFactory">Where the store logs; nowhere by default.</param>
    /// <returns>The store; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">The options are not valid (the message names the option and the fix).</exception>
    public static PostgreSqlDeviceStore Create(PostgreSqlStoreOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new PostgreSqlStoreOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException($"PostgreSQL store options: {validation.FailureMessage}", nameof(options));
        }

        if (!PostgreSqlConnectionString.TryParse(options.ConnectionString, out var connection, out var problem))
        {
            throw new ArgumentException($"PostgreSQL store options: ConnectionString {problem}", nameof(options));
        }

        return new PostgreSqlDeviceStore(connection, options.Schema, time ?? TimeProvider.System, loggerFactory?.CreateLogger<PostgreSqlDeviceStore>() ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>
    /// Waits until a commit by any process on this database and schema made work due (a wake at or before its time,
    /// or outbox messages), or until <paramref name="timeout"/>: a host's loops wait here between passes instead of
    /// polling fast. A lost LISTEN connection also ends the wait, so the caller polls while it is re-opened.
    /// </summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when signalled, <see langword="false"/> after the timeout.</returns>
    public Task<bool> WaitForSignalAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _listener.WaitAsync(timeout, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        return RunAsync<IReadOnlyList<StoredDevice>>(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(_sql.Load, connection);
                await using var commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter<string[]>("things", [.. thingNames]));
                var found = new List<StoredDevice>(thingNames.Count);
                var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                await using var readerScope = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    found.Add(new StoredDevice(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
                }

                return found;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyCollection<string>>([]);
        }

        var now = _time.GetUtcNow();
        var things = new string[changes.Count];
        var expected = new long[changes.Count];
        var states = new string[changes.Count];
        var wakes = new DateTime?[changes.Count];
        var offline = new bool?[changes.Count];
        var since = new DateTime?[changes.Count];
        var outboxThings = new List<string>();
        var channels = new List<string>();
        var ids = new List<string>();
        var payloads = new List<string>();
        var signal = false;
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            things[i] = change.ThingName;
            expected[i] = change.ExpectedVersion;
            states[i] = change.State;
            wakes[i] = change.WakeAt?.UtcDateTime;
            offline[i] = change.Status?.Offline;
            since[i] = change.Status?.Since.UtcDateTime;
            signal |= change.Outbox.Count > 0 || change.WakeAt <= now;
            foreach (var message in change.Outbox)
            {
                outboxThings.Add(change.ThingName);
                channels.Add(message.Channel);
                ids.Add(message.NotificationId);
                payloads.Add(message.Payload);
            }
        }

        return RunAsync<IReadOnlyCollection<string>>(
            async (connection, token) =>
            {
                var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using var transactionScope = transaction.ConfigureAwait(false);
                var batch = new NpgsqlBatch(connection, transaction);
                await using var batchScope = batch.ConfigureAwait(false);
                var thingsParameter = new NpgsqlParameter<string[]>("things", things);
                batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.Lock) { Parameters = { thingsParameter } });
                batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.Commit)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string[]>("things", things),
                        new NpgsqlParameter<long[]>("expected", expected),
                        new NpgsqlParameter<string[]>("states", states),
                        new NpgsqlParameter("wakes", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = wakes },
                        new NpgsqlParameter("offline", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = offline },
                        new NpgsqlParameter("since", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = since },
                        new NpgsqlParameter<string[]>("outbox_things", [.. outboxThings]),
                        new NpgsqlParameter<string[]>("channels", [.. channels]),
                        new NpgsqlParameter<string[]>("ids", [.. ids]),
                        new NpgsqlParameter<string[]>("payloads", [.. payloads]),
                    },
                });
                if (signal)
                {
                    // Delivered by the server at commit, to every listening process (this one too); none on rollback.
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.Notify));
                }

                var written = new HashSet<string>(StringComparer.Ordinal);
                var reader = await batch.ExecuteReaderAsync(token).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.NextResultAsync(token).ConfigureAwait(false);
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        written.Add(reader.GetString(0));
                    }
                }

                await transaction.CommitAsync(token).ConfigureAwait(false);
                return written.Count == things.Length ? [] : [.. things.Where(thing => !written.Contains(thing))];
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return RunAsync<IReadOnlyList<string>>(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(_sql.ClaimDue, connection);
                await using var commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now.UtcDateTime));
                command.Parameters.Add(new NpgsqlParameter<DateTime>("until", (now + lease).UtcDateTime));
                command.Parameters.Add(new NpgsqlParameter<int>("max", max));
                var claimed = new List<(DateTime WakeAt, string Thing)>();
                var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                await using var readerScope = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    claimed.Add((reader.GetDateTime(1), reader.GetString(0)));
                }

                // RETURNING comes in no particular order; the port promises earliest wake first.
                return [.. claimed.OrderBy(c => c.WakeAt).ThenBy(c => c.Thing, StringComparer.Ordinal).Select(c => c.Thing)];
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return RunAsync<IReadOnlyList<PendingDelivery>>(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(_sql.ClaimDeliveries, connection);
                await using var commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter<string>("channel", channel));
                command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now.UtcDateTime));
                command.Parameters.Add(new NpgsqlParameter<DateTime>("until", (now + lease).UtcDateTime));
                command.Parameters.Add(new NpgsqlParameter<int>("max", max));
                var claimed = new List<PendingDelivery>();
                var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                await using var readerScope = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    claimed.Add(new PendingDelivery(reader.GetInt64(0), channel, reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
                }

                claimed.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
                return claimed;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default)
        => ExecuteAsync(_sql.Complete, sequence, "now", _time.GetUtcNow(), cancellationToken);

    /// <inheritdoc/>
    public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
        => ExecuteAsync(_sql.Retry, sequence, "at", retryAt, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Max, 1);
        var text = (query.NewestFirst, query.After is null) switch
        {
            (false, true) => _sql.ListOldestFirst,
            (false, false) => _sql.ListOldestFirstAfter,
            (true, true) => _sql.ListNewestFirst,
            (true, false) => _sql.ListNewestFirstAfter,
        };
        return RunAsync<IReadOnlyList<ListedDevice>>(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(text, connection);
                await using var commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter<bool>("offline", query.Offline));
                command.Parameters.Add(new NpgsqlParameter<int>("max", query.Max));
                if (query.After is { } cursor)
                {
                    command.Parameters.Add(new NpgsqlParameter<DateTime>("since", cursor.Since.UtcDateTime));
                    command.Parameters.Add(new NpgsqlParameter<string>("thing", cursor.ThingName));
                }

                var listed = new List<ListedDevice>();
                var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                await using var readerScope = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    var device = new StoredDevice(reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
                    listed.Add(new ListedDevice(device, new DeviceStatus(query.Offline, new DateTimeOffset(reader.GetDateTime(3).Ticks, TimeSpan.Zero))));
                }

                return listed;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default)
        => RunAsync(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(_sql.Count, connection);
                await using var commandScope = command.ConfigureAwait(false);
                var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                await using var readerScope = reader.ConfigureAwait(false);
                await reader.ReadAsync(token).ConfigureAwait(false);
                return new DeviceStoreCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            },
            cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask ExecuteAsync(string text, long sequence, string timeName, DateTimeOffset time, CancellationToken cancellationToken)
        => await RunAsync(
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(text, connection);
                await using var commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter<long>("seq", sequence));
                command.Parameters.Add(new NpgsqlParameter<DateTime>(timeName, time.UtcDateTime));
                return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

    // The schema once per store (again after a failure: the server may have been down); then the operation on a
    // pooled connection. Npgsql's and the server's errors become one line naming the server.
    private async ValueTask<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            return await operation(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlFailure.Describe(exception, Server, _password);
        }
    }

    private Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var schema = Volatile.Read(ref _schema);
        if (schema is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_schemaGate)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = MigrateAsync();
            }

            return _schema.WaitAsync(cancellationToken);
        }
    }

    // Not cancelled by one caller's token: other callers wait for the same migration.
    private async Task MigrateAsync()
    {
        try
        {
            await PostgreSqlSchemaMigrator.MigrateAsync(_dataSource, _sql, Server, _logger, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw PostgreSqlFailure.Describe(exception, Server, _password);
        }
    }
}
