using System.Collections.Concurrent;

namespace GracefulDisconnect.Aws.Tests;

/// <summary>A channel that keeps what the engine delivered to it.</summary>
internal sealed class RecordingNotifier : INotifier
{
    private readonly ConcurrentQueue<DeviceNotification> _sent = new();

    public IReadOnlyList<DeviceNotification> Sent => [.. _sent];

    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue(notification);
        return ValueTask.CompletedTask;
    }
}
