using System.Collections.Concurrent;

namespace GracefulDisconnect.DynamoDb.Tests;

/// <summary>
/// A channel, named as in every process, that records what it accepted into a list shared by all processes'
/// instances (what the people on the channel would see).
/// </summary>
public sealed class RecordingNotifier(string name, ConcurrentQueue<(string Channel, DeviceNotification Notification)> seen) : INamedNotifier
{
    public string Name => name;

    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        seen.Enqueue((name, notification));
        return ValueTask.CompletedTask;
    }
}
