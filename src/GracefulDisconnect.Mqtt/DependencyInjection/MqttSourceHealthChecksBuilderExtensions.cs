using GracefulDisconnect.Mqtt;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the MQTT source's health check beside the engine's.</summary>
public static class MqttSourceHealthChecksBuilderExtensions
{
    /// <summary>The name the source's check is registered under.</summary>
    public const string HealthCheckName = "gracefuldisconnect-mqtt";

    /// <summary>
    /// Adds <see cref="MqttSourceHealthCheck"/> (the source connected to its broker), tagged <c>gracefuldisconnect</c>:
    /// <code>services.AddGracefulDisconnectHealthChecks().AddMqttSourceCheck();</code>
    /// </summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="unhealthyAfter">How long the source may be without its broker before the check says unhealthy; default 1 minute.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unhealthyAfter"/> is not positive.</exception>
    public static IHealthChecksBuilder AddMqttSourceCheck(this IHealthChecksBuilder builder, TimeSpan? unhealthyAfter = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (unhealthyAfter is { } after && after <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(unhealthyAfter), after, "unhealthyAfter must be longer than zero.");
        }

        // One check for the life of the host: "not connected yet" counts from its creation, which a check made anew for
        // every report (AddCheck<T>'s way) would reset each time.
        builder.Services.AddKeyedSingleton(HealthCheckName, (provider, _) =>
        {
            var status = provider.GetRequiredService<IMqttSourceStatus>();
            var time = provider.GetRequiredService<TimeProvider>();
            return unhealthyAfter is { } limit ? new MqttSourceHealthCheck(status, time) { UnhealthyAfter = limit } : new MqttSourceHealthCheck(status, time);
        });
        return builder.Add(new HealthCheckRegistration(
            HealthCheckName,
            provider => provider.GetRequiredKeyedService<MqttSourceHealthCheck>(HealthCheckName),
            failureStatus: null,
            tags: [GracefulDisconnectHealthChecksServiceCollectionExtensions.HealthCheckName]));
    }
}
