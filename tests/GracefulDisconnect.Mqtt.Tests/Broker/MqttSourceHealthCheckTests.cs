using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>The MQTT source's health check: healthy connected, degraded while reconnecting, unhealthy once blind too long.</summary>
public sealed class MqttSourceHealthCheckTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public async Task Connected_Healthy_NamingTheBroker()
    {
        var result = await Check(new Status(true, T0.AddMinutes(-5), null));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("Connected to mqtt://broker.lan:1883.", result.Description);
        Assert.Equal("2026-03-01T11:55:00Z", result.Data["connectedSince"]);
    }

    [Fact]
    public async Task Disconnected_DegradedWhileReconnecting_UnhealthyAfterTheLimit()
    {
        var status = new Status(false, T0.AddMinutes(-5), T0);
        var check = new MqttSourceHealthCheck(status, _time) { UnhealthyAfter = TimeSpan.FromSeconds(30) };
        _time.Advance(TimeSpan.FromSeconds(20));
        var reconnecting = await check.CheckHealthAsync(new HealthCheckContext());
        _time.Advance(TimeSpan.FromSeconds(20));
        var blind = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, reconnecting.Status);
        Assert.Equal(HealthStatus.Unhealthy, blind.Status);
        Assert.Contains("Not connected to mqtt://broker.lan:1883 since 2026-03-01T12:00:00Z", blind.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverConnected_CountsFromTheCheckCreated()
    {
        var check = new MqttSourceHealthCheck(new Status(false, null, null), _time);

        Assert.Equal(HealthStatus.Degraded, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        _time.Advance(TimeSpan.FromMinutes(2));
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("Not connected to mqtt://broker.lan:1883 yet", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMqttSourceCheck_ChainedOnTheEnginesOneLiner_RegisteredTaggedWithItsLimit()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IMqttSourceStatus>(new Status(false, null, null));
        services.AddLogging();
        services.AddGracefulDisconnectHealthChecks().AddMqttSourceCheck(unhealthyAfter: TimeSpan.FromSeconds(10));
        using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        var first = await health.CheckHealthAsync(registration => registration.Name == "gracefuldisconnect-mqtt");
        _time.Advance(TimeSpan.FromSeconds(11));
        var report = await health.CheckHealthAsync(registration => registration.Name == "gracefuldisconnect-mqtt");

        // Never connected: degraded at first, unhealthy once the limit has passed since the first report (the same check).
        Assert.Equal(HealthStatus.Degraded, Assert.Single(first.Entries).Value.Status);
        var entry = Assert.Single(report.Entries);
        Assert.Equal(HealthStatus.Unhealthy, entry.Value.Status);
        Assert.Contains("gracefuldisconnect", entry.Value.Tags);
    }

    [Fact]
    public void AddMqttSourceCheck_LimitNotPositive_Throws()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddMqttSourceCheck(TimeSpan.Zero));

        Assert.Equal("unhealthyAfter", error.ParamName);
    }

    private Task<HealthCheckResult> Check(IMqttSourceStatus status) => new MqttSourceHealthCheck(status, _time).CheckHealthAsync(new HealthCheckContext());

    private sealed record Status(bool IsConnected, DateTimeOffset? ConnectedSince, DateTimeOffset? DisconnectedSince) : IMqttSourceStatus
    {
        public string Broker => "mqtt://broker.lan:1883";
    }
}
