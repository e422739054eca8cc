using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GracefulDisconnect.Engine;

/// <summary>
/// Marks that <see cref="GracefulDisconnectBuilder.RunDeviceEngine"/> was called: the engine's loops are a hosted
/// service. Without a host nothing starts a hosted service, so the engine would record disconnects and never re-check
/// them; that must fail loudly, not do nothing.
/// </summary>
internal sealed class HostedLoops
{
    /// <summary>Throws when the loops were asked for and no host can ever start them.</summary>
    /// <param name="provider">The container the engine is resolved from.</param>
    /// <exception cref="InvalidOperationException">RunDeviceEngine() was called on a container no host runs.</exception>
    public static void ThrowIfNeverStarted(IServiceProvider provider)
    {
        if (provider.GetService<HostedLoops>() is not null && provider.GetService<IHostApplicationLifetime>() is null)
        {
            throw new InvalidOperationException(
                "RunDeviceEngine() runs the engine's re-checks and deliveries as a hosted service, but these services are not "
                + "run by a host, so nothing would ever start them. Build a host (Host.CreateApplicationBuilder(...), then "
                + "await host.StartAsync() or RunAsync()), or leave out RunDeviceEngine() and call DeviceEngine.RunDueAsync() "
                + "and DeviceEngine.DeliverAsync() yourself, for example on a timer.");
        }
    }
}
