using GracefulDisconnect.PostgreSql;
using GracefulDisconnect.Sqlite;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Which store <c>--store</c> names: a <c>postgresql://</c> (or <c>postgres://</c>) address is a PostgreSQL database
/// that several <c>run</c> processes may share; anything else is the path of a SQLite file held by this process alone.
/// Never the other way round: an address is never taken for a file name (which once made a folder called
/// <c>postgresql:</c>).
/// </summary>
internal static class RunStore
{
    public static bool IsPostgreSql(string location)
        => location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="DeviceStoreException">The store cannot be opened; the message names it (never a password).</exception>
    public static async Task<IDeviceStore> OpenAsync(string location, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsPostgreSql(location))
        {
            return SqliteDeviceStore.Open(location, time);
        }

        try
        {
            return await PostgreSqlDeviceStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = location }, time, cancellationToken: cancellationToken);
        }
        catch (ArgumentException invalid)
        {
            // The address itself is wrong; its message names the option, never the password.
            throw new DeviceStoreException($"store: {invalid.Message}", invalid);
        }
    }

    /// <summary>The store as a status page names it: the file, or the server without its password.</summary>
    public static string Describe(IDeviceStore store) => store switch
    {
        SqliteDeviceStore sqlite => $"SQLite store {sqlite.Path}",
        PostgreSqlDeviceStore postgreSql => $"PostgreSQL store {postgreSql.Server} (schema {postgreSql.Schema})",
        InMemoryDeviceStore => "in-memory store (forgotten on exit)",
        _ => store.GetType().Name,
    };

    public static async ValueTask CloseAsync(IDeviceStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
