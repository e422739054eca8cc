using GracefulDisconnect;
using GracefulDisconnect.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the durable SQLite store to the GracefulDisconnect engine.</summary>
public static class SqliteStoreGracefulDisconnectBuilderExtensions
{
    /// <summary>
    /// Keeps everything in one SQLite file, so nothing is lost when the process is killed: pending re-checks
    /// (the <see cref="IScheduler"/>), notified outages with an outbox of unconfirmed notifications (the
    /// <see cref="IOutageLedger"/>), and the last known connection state of each thing
    /// (<see cref="IConnectionStateRecorder"/>, also the <see cref="IShadowReader"/> unless
    /// <see cref="SqliteStoreOptions.UseAsShadowReader"/> is <see langword="false"/>). Hosted services run the
    /// scheduler and the outbox while the host runs. Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options; <see cref="SqliteStoreOptions.Path"/> is required.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSqliteStore(this GracefulDisconnectBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        // Which services to register depends on an option, known only once configured; ask a scratch copy.
        var probe = new SqliteStoreOptions();
        configure(probe);
        builder.Services.AddOptionsWithValidateOnStart<SqliteStoreOptions, SqliteStoreOptionsValidator>().Configure(configure);
        return AddStore(builder, probe.UseAsShadowReader);
    }

    /// <summary>Adds the SQLite store with options bound from a configuration section (usually <c>GracefulDisconnect:Sqlite</c>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind; <c>Path</c> is required.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSqliteStore(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var probe = new SqliteStoreOptions();
        configuration.Bind(probe);
        builder.Services.AddOptionsWithValidateOnStart<SqliteStoreOptions, SqliteStoreOptionsValidator>().Bind(configuration);
        return AddStore(builder, probe.UseAsShadowReader);
    }

    private static GracefulDisconnectBuilder AddStore(GracefulDisconnectBuilder builder, bool useAsShadowReader)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteStoreMetrics>();

        services.TryAddSingleton<SqliteScheduler>();
        services.Replace(ServiceDescriptor.Singleton<IScheduler>(static provider => provider.GetRequiredService<SqliteScheduler>()));
        services.AddHostedService<SqliteSchedulerHostedService>();

        services.TryAddSingleton<OutboxStore>();
        services.Replace(ServiceDescriptor.Singleton<IOutageLedger, SqliteOutageLedger>());
        services.AddHostedService<OutboxDispatcher>();

        services.TryAddSingleton<SqliteConnectionStateStore>();
        services.TryAddSingleton<IConnectionStateRecorder>(static provider => provider.GetRequiredService<SqliteConnectionStateStore>());
        if (useAsShadowReader)
        {
            services.Replace(ServiceDescriptor.Singleton<IShadowReader>(static provider => provider.GetRequiredService<SqliteConnectionStateStore>()));
        }

        return builder;
    }
}
