using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using GracefulDisconnect;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the GracefulDisconnect engine.</summary>
public static class GracefulDisconnectServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine: options (validated on start), <see cref="DeviceEngine"/> (also as <see cref="IConnectionEventSink"/>
    /// and <see cref="IRecheckHandler"/>) on the in-memory store, metrics and the notification formatter. Add at least one
    /// notifier through the returned builder, and usually a durable store, a state source and <c>RunDeviceEngine()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder that adapter packages extend.</returns>
    public static GracefulDisconnectBuilder AddGracefulDisconnect(this IServiceCollection services, Action<GracefulDisconnectOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GracefulDisconnectOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>Adds the engine with options bound from a configuration section (usually <c>GracefulDisconnect</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>A builder that adapter packages extend.</returns>
    public static GracefulDisconnectBuilder AddGracefulDisconnect(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GracefulDisconnectOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static GracefulDisconnectBuilder AddCore(IServiceCollection services)
    {
        // Core depends on Logging.Abstractions only, so it cannot call AddLogging(). A host (or an
        // AddLogging() made before this call) has registered a factory already and keeps it; a bare
        // ServiceCollection gets loggers that write nothing instead of failing to resolve the engine.
        services.TryAdd(ServiceDescriptor.Singleton<Microsoft.Extensions.Logging.ILoggerFactory>(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        services.TryAdd(ServiceDescriptor.Singleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>)));
        services.AddOptions<GracefulDisconnectOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GracefulDisconnectOptions>, GracefulDisconnectOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GracefulDisconnectMetrics>();
        services.TryAddSingleton<NotificationFormatter>();
        // The device engine: records, due wakes and the outbox in the store; without a registered reader it decides
        // from its own record of events. Its loops run in the host.
        services.TryAddSingleton<IDeviceStore, InMemoryDeviceStore>();
        services.TryAddSingleton(provider =>
        {
            GracefulDisconnect.Engine.HostedLoops.ThrowIfNeverStarted(provider);
            return new DeviceEngine(
                provider.GetRequiredService<IDeviceStore>(),
                provider.GetService<IShadowReader>(),
                provider.GetServices<INotifier>(),
                provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>(),
                provider.GetRequiredService<NotificationFormatter>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<GracefulDisconnectMetrics>(),
                provider.GetService<Microsoft.Extensions.Logging.ILogger<DeviceEngine>>(),
                provider.GetService<IScheduler>());
        });
        services.TryAddSingleton<IConnectionEventSink>(provider => provider.GetRequiredService<DeviceEngine>());
        services.TryAddSingleton<IRecheckHandler>(provider => provider.GetRequiredService<DeviceEngine>());

        // Also without the hosted loops (a host that runs them itself), so DeviceEngineHealthCheck always resolves.
        services.TryAddSingleton<DeviceEngineHealth>();
        return new GracefulDisconnectBuilder(services);
    }
}
