using GracefulDisconnect;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the device engine's health check with the host's health checks in one call.</summary>
public static class GracefulDisconnectHealthChecksServiceCollectionExtensions
{
    /// <summary>The name the engine's check is registered under, and the tag every GracefulDisconnect check carries.</summary>
    public const string HealthCheckName = "gracefuldisconnect";

    /// <summary>
    /// Adds the host's health checks (<c>AddHealthChecks()</c>, if not added yet) and the device engine's check,
    /// <see cref="DeviceEngineHealthCheck"/>: the store reachable, the outbox backlog, channels delivering, due work on
    /// time and, with <see cref="DeviceEngineHealthCheck.QuietAfter"/>, the age of the last event recorded. A source's
    /// own check chains on the result (the MQTT source: <c>.AddMqttSourceCheck()</c>).
    /// </summary>
    /// <param name="services">The services, with <c>AddGracefulDisconnect(...).RunDeviceEngine()</c> (or the engine hosted yourself).</param>
    /// <param name="quietAfter"><see cref="DeviceEngineHealthCheck.QuietAfter"/>: degraded when no event was recorded for that long; default off.</param>
    /// <param name="overdueAfter"><see cref="DeviceEngineHealthCheck.OverdueAfter"/>: how long due work may wait; default 1 minute.</param>
    /// <param name="maxUndelivered"><see cref="DeviceEngineHealthCheck.MaxUndelivered"/>: the outbox backlog allowed; default 1,000.</param>
    /// <param name="storeTimeout"><see cref="DeviceEngineHealthCheck.StoreTimeout"/>: how long the store has to answer; default 5 seconds.</param>
    /// <returns>The health-checks builder, to chain further checks.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range (durations must be positive, the backlog 0 or more): thrown here, at start, not at the first check.</exception>
    public static IHealthChecksBuilder AddGracefulDisconnectHealthChecks(
        this IServiceCollection services,
        TimeSpan? quietAfter = null,
        TimeSpan? overdueAfter = null,
        long? maxUndelivered = null,
        TimeSpan? storeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Checked now, at registration, so a limit out of range stops the start instead of failing every check later.
        var quiet = quietAfter is { } q ? DeviceEngineHealthCheck.Positive(q, nameof(quietAfter)) : (TimeSpan?)null;
        var overdue = DeviceEngineHealthCheck.Positive(overdueAfter ?? DeviceEngineHealthCheck.DefaultOverdueAfter, nameof(overdueAfter));
        var max = DeviceEngineHealthCheck.NotNegative(maxUndelivered ?? DeviceEngineHealthCheck.DefaultMaxUndelivered, nameof(maxUndelivered));
        var timeout = DeviceEngineHealthCheck.Positive(storeTimeout ?? DeviceEngineHealthCheck.DefaultStoreTimeout, nameof(storeTimeout));
        return services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            provider => new DeviceEngineHealthCheck(
                provider.GetRequiredService<DeviceEngine>(),
                provider.GetRequiredService<DeviceEngineHealth>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<IDeviceStore>())
            {
                QuietAfter = quiet,
                OverdueAfter = overdue,
                MaxUndelivered = max,
                StoreTimeout = timeout,
            },
            failureStatus: null,
            tags: [HealthCheckName]));
    }
}
