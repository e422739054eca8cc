using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The database file: opens pooled connections set up for this store (WAL journal, busy timeout) and
/// creates or migrates the schema on first use. Every component opens a connection per operation; the
/// pool makes that cheap and lets readers run beside the one writer that SQLite allows.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly string _connectionSetup;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private bool _disposed;

    public SqliteDatabase(IOptions<SqliteStoreOptions> options, ILogger<SqliteDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Path = System.IO.Path.GetFullPath(value.Path);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,

            // Microsoft.Data.Sqlite retries a busy statement itself, sleeping 150 ms between tries; SQLite's own
            // busy handler (below) waits in finer steps, so this is only the outer bound.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(value.BusyTimeout.TotalSeconds)),
        }.ToString();

        // Per connection. NORMAL in WAL mode loses nothing when the process is killed, only on power loss,
        // and saves an fsync per commit.
        _connectionSetup = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)value.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    public static bool IsInMemory(string path)
        => path.Trim().Equals(":memory:", StringComparison.Ordinal)
            || path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens a connection, creating or migrating the schema first if this is the first one.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        return Open();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Pooled connections keep the file open; a restart in the same process (and tests deleting the file) need it closed.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _schemaGate.Dispose();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = _connectionSetup;
            setup.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            using var connection = Open();
            using (var wal = connection.CreateCommand())
            {
                // Persistent in the file: readers never block the writer, and a commit is one append.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"The SQLite database '{Path}' could not switch to WAL journal mode (it reports '{mode}'); is it on a network file system?");
                }
            }

            var (from, to) = Migrate(connection);
            if (to != from)
            {
                SqliteLog.SchemaMigrated(_logger, Path, from, to);
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    // One immediate transaction, so two processes opening a new file at once do not both create it.
    private (int From, int To) Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); SELECT max(version) FROM schema_version;";
        var found = command.ExecuteScalar() is long version ? (int)version : 0;
        if (found > SqliteSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite database '{Path}' has schema version {found}, newer than the {SqliteSchema.CurrentVersion} this version of GracefulDisconnect.Sqlite knows; upgrade the package or use another file.");
        }

        for (var next = found + 1; next <= SqliteSchema.CurrentVersion; next++)
        {
            command.CommandText = SqliteSchema.Migrations[next - 1];
            command.ExecuteNonQuery();
        }

        if (found < SqliteSchema.CurrentVersion)
        {
            command.CommandText = "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ($version);";
            command.Parameters.AddWithValue("$version", SqliteSchema.CurrentVersion);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return (found, SqliteSchema.CurrentVersion);
    }
}
