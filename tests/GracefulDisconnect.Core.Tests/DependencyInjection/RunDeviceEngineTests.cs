using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GracefulDisconnect.Tests.DependencyInjection;

/// <summary><c>RunDeviceEngine()</c> never silently does nothing: without a host it fails and says what to do.</summary>
public sealed class RunDeviceEngineTests
{
    [Fact]
    public async Task WithoutAHost_ResolvingTheEngineFails_SayingToStartAHostOrDriveThePassesYourself()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().UseLastKnownState().AddNotifier(new RecordingNotifier()).RunDeviceEngine();
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IConnectionEventSink>());

        Assert.Contains("host.StartAsync()", failure.Message, StringComparison.Ordinal);
        Assert.Contains("DeviceEngine.RunDueAsync()", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAHostAndWithoutRunDeviceEngine_TheEngineResolves_ForCallersThatDriveItThemselves()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().UseLastKnownState().AddNotifier(new RecordingNotifier());
        await using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<DeviceEngine>());
    }

    [Fact]
    public void InAHost_TheEngineResolves()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddGracefulDisconnect().UseLastKnownState().AddNotifier(new RecordingNotifier()).RunDeviceEngine();
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetRequiredService<DeviceEngine>());
    }
}
