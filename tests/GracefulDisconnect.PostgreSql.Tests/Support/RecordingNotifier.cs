using System.Collections.Concurrent;

namespace GracefulDisconnect.PostgreSql.Tests;

/// <summary>
/// A channel, named as in every process, that records what it accepted into a list shared by all processes'
/// instances (what the people on the channel would see).
/// </summary>
public sealed class RecordingNotifier(string name, ConcurrentQueue<(string Channel, DeviceNotification Notification)> seen) : INamedNotifier
{
    public string Name => name;

    /// <summary>When set, a send waits here (a process stuck mid-send), until its token is cancelled.</summary>
    public bool Hangs { get; init; }

    public int Started => Volatile.Read(ref _started);

    private int _started;

    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _started);
        if (Hangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        seen.Enqueue((name, notification));
    }
}
