using GracefulDisconnect;
using GracefulDisconnect.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the shared PostgreSQL store to the GracefulDisconnect engine.</summary>
public static class PostgreSqlStoreGracefulDisconnectBuilderExtensions
{
    /// <summary>
    /// Keeps device records, due wakes and the outbox in PostgreSQL (<see cref="PostgreSqlDeviceStore"/>), so several
    /// processes on one database and schema share the fleet and each outage is notified once. Options are validated
    /// when the host starts; the schema is created or migrated by the store's first call. The store is one singleton,
    /// also resolvable as <see cref="PostgreSqlDeviceStore"/> (for <see cref="PostgreSqlDeviceStore.WaitForSignalAsync"/>).
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options; <see cref="PostgreSqlStoreOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder UsePostgreSqlStore(this GracefulDisconnectBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<PostgreSqlStoreOptions, PostgreSqlStoreOptionsValidator>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => PostgreSqlDeviceStore.Create(
            provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()));
        services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(static provider => provider.GetRequiredService<PostgreSqlDeviceStore>()));
        return builder;
    }
}
