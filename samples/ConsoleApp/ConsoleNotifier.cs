using GracefulDisconnect;

namespace GracefulDisconnect.Samples.ConsoleApp;

/// <summary>Used when no Slack webhook is configured, so the sample runs anywhere.</summary>
internal sealed class ConsoleNotifier : INotifier
{
    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"[{notification.DecidedAt:HH:mm:ss}] {notification.Subject}: {notification.Message}");
        return ValueTask.CompletedTask;
    }
}
