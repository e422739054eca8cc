using GracefulDisconnect;
using GracefulDisconnect.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the device engine's records, wakes and outbox in one SQLite file.</summary>
public static class SqliteDeviceStoreGracefulDisconnectBuilderExtensions
{
    /// <summary>
    /// Keeps device records, due wakes and the outbox of the device engine (<see cref="DeviceEngine"/>) in the SQLite
    /// file <paramref name="path"/> (<see cref="SqliteDeviceStore"/>), so alerts survive restarts. The file is held by
    /// an OS lock while the process runs: a second process on it fails at start with a message naming the file. The
    /// folder must exist (a typo must not start a fresh, empty store); the file and its schema are created on first use.
    /// The store opens when first resolved (at the latest when the host starts the engine) and is disposed with the
    /// container, which releases the file.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="path">The database file, for example <c>/var/lib/gracefuldisconnect/store.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static GracefulDisconnectBuilder UseSqliteStore(this GracefulDisconnectBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => SqliteDeviceStore.Open(path, provider.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(static provider => provider.GetRequiredService<SqliteDeviceStore>()));
        return builder;
    }
}
