using System.Collections.Concurrent;

namespace GracefulDisconnect.Tests.Support;

/// <summary>A state source whose answers the test sets; counts reads and can be told to fail or block.</summary>
internal sealed class FakeShadowReader : IShadowReader
{
    private readonly ConcurrentDictionary<string, ConnectionSnapshot> _states = new(StringComparer.Ordinal);
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>When set, every read throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, reads wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public void Set(string thing, ConnectionSnapshot snapshot) => _states[thing] = snapshot;

    public void Remove(string thing) => _states.TryRemove(thing, out _);

    public async ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return _states.TryGetValue(thingName, out var state) ? state : null;
    }
}

/// <summary>Records every notification; can be told to fail the next N sends.</summary>
internal sealed class RecordingNotifier : INotifier
{
    private readonly ConcurrentQueue<DeviceNotification> _sent = new();
    private int _failuresLeft;

    public IReadOnlyList<DeviceNotification> Sent => [.. _sent];

    public int Count => _sent.Count;

    public void FailNext(int times) => Volatile.Write(ref _failuresLeft, times);

    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new InvalidOperationException("notifier down");
        }

        _sent.Enqueue(notification);
        return ValueTask.CompletedTask;
    }
}
