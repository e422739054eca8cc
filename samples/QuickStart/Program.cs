using GracefulDisconnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.FromSeconds(5))
    .UseLastKnownState()              // "still offline?" is answered from the events it was given
    .AddNotifier<ConsoleNotifier>()   // INotifier: Slack, Teams, e-mail, SNS... (see Channels)
    .RunDeviceEngine();               // re-checks and deliveries run while the host runs
using var host = builder.Build();
await host.StartAsync();

// Feed it every connect/disconnect your broker reports. Two devices drop; one is back within the grace period.
var engine = host.Services.GetRequiredService<IConnectionEventSink>();
await engine.RecordAsync([new("greenhouse-pi-3", Connected: false, At: DateTimeOffset.UtcNow),
                          new("garage-door", Connected: false, At: DateTimeOffset.UtcNow)]);
await engine.RecordAsync([new("garage-door", Connected: true, At: DateTimeOffset.UtcNow)]);

// Five seconds later only greenhouse-pi-3 is told. Ctrl+C stops.
await host.WaitForShutdownAsync();

sealed class ConsoleNotifier : INotifier
{
    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"{notification.Kind}: {notification.Subject}");
        return ValueTask.CompletedTask;
    }
}
