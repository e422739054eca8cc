using System.Collections.Concurrent;

namespace GracefulDisconnect.Sqlite.Tests;

/// <summary>An <see cref="INotifier"/> that records each notification it accepted, and fails when told to.</summary>
public sealed class RecordingNotifier : INotifier
{
    private int _attempts;

    public ConcurrentQueue<DeviceNotification> Sent { get; } = new();

    /// <summary>Given the attempt number (1-based, over all calls): whether this attempt fails.</summary>
    public Func<int, bool> Fails { get; set; } = static _ => false;

    public int Attempts => Volatile.Read(ref _attempts);

    public int SentCount(string outageId) => Sent.Count(n => n.OutageId == outageId);

    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (Fails(attempt))
        {
            throw new HttpRequestException($"Simulated failure of attempt {attempt}.");
        }

        Sent.Enqueue(notification);
        return ValueTask.CompletedTask;
    }
}
