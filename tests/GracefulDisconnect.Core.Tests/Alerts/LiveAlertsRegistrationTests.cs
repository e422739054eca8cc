using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Tests.Alerts;

public class LiveAlertsRegistrationTests
{
    [Fact]
    public async Task DisconnectMonitor_IngestOnlyHostWithoutNotifiers_StillResolvesAndSchedules()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new ManualScheduler());
        services.AddGracefulDisconnect(o => o.NotifyRecovery = true).UseShadowReader<FakeShadowReader>().UseScheduler<ManualScheduler>();
        await using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<DisconnectMonitor>();

        Assert.NotNull(await monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon)));
        Assert.Null(await monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddSeconds(1))));
    }

    [Fact]
    public void AddGracefulDisconnect_RegistersOneLiveAlertsSharedByMonitorAndHandler()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect();
        services.AddGracefulDisconnect();

        Assert.Single(services, d => d.ServiceType == typeof(LiveAlerts));
        Assert.Single(services, d => d.ServiceType == typeof(DisconnectMonitor));
    }
}
