using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// The MQTT source's connection to its broker, for <c>Microsoft.Extensions.Diagnostics.HealthChecks</c>: while it is
/// disconnected the engine hears nothing from the devices behind the broker. <see cref="HealthStatus.Healthy"/> while
/// connected and subscribed; <see cref="HealthStatus.Degraded"/> while disconnected (or not yet connected) for less than
/// <see cref="UnhealthyAfter"/>, as the source reconnects with backoff; <see cref="HealthStatus.Unhealthy"/> after it.
/// Register it beside the engine's check:
/// <code>services.AddGracefulDisconnectHealthChecks().AddMqttSourceCheck();</code>
/// </summary>
public sealed class MqttSourceHealthCheck : IHealthCheck
{
    private readonly IMqttSourceStatus _status;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _createdAt;

    /// <summary>Creates the check; usually by <c>AddMqttSourceCheck()</c>, which keeps one for the life of the host.</summary>
    /// <param name="status">The source's connection state (registered by <c>AddMqttSource</c>).</param>
    /// <param name="time">The clock.</param>
    public MqttSourceHealthCheck(IMqttSourceStatus status, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(time);
        _status = status;
        _time = time;
        _createdAt = time.GetUtcNow();
    }

    /// <summary>How long the source may be without its broker before the check says unhealthy. Default 1 minute.</summary>
    public TimeSpan UnhealthyAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["broker"] = _status.Broker };
        if (_status.IsConnected)
        {
            if (_status.ConnectedSince is { } since)
            {
                data["connectedSince"] = Iso(since);
            }

            return Task.FromResult(HealthCheckResult.Healthy($"Connected to {_status.Broker}.", data));
        }

        var blindSince = _status.DisconnectedSince ?? _createdAt;
        data["disconnectedSince"] = Iso(blindSince);
        var blindFor = _time.GetUtcNow() - blindSince;
        var description = _status.DisconnectedSince is null
            ? $"Not connected to {_status.Broker} yet: the engine hears nothing from the devices behind it."
            : $"Not connected to {_status.Broker} since {Iso(blindSince)}: the engine hears nothing from the devices behind it; reconnecting.";
        return Task.FromResult(blindFor > UnhealthyAfter
            ? HealthCheckResult.Unhealthy(description, data: data)
            : HealthCheckResult.Degraded(description, data: data));
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
