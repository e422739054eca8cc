namespace GracefulDisconnect.Mqtt.Tests;

/// <summary>
/// Stands in for the engine's sink until one is registered: records every batch, and can be told to fail (throw) or
/// hang (never complete) to show that nothing is acknowledged before it is recorded.
/// </summary>
public sealed class RecordingSink : IConnectionEventSink
{
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<ConnectionEvent>> _batches = [];
    private int _failedCalls;

    /// <summary>While true, every call throws, as a store that cannot write would.</summary>
    public bool Failing { get; set; }

    /// <summary>While true, every call waits until cancelled, as a store that hangs would.</summary>
    public bool Hanging { get; set; }

    public int FailedCalls => Volatile.Read(ref _failedCalls);

    public IReadOnlyList<IReadOnlyList<ConnectionEvent>> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    public IReadOnlyList<ConnectionEvent> Events => [.. Batches.SelectMany(batch => batch)];

    public IReadOnlyList<ConnectionEvent> EventsOf(string thing) => [.. Events.Where(e => e.ThingName == thing)];

    public async ValueTask RecordAsync(IReadOnlyList<ConnectionEvent> events, CancellationToken cancellationToken = default)
    {
        if (Hanging)
        {
            Interlocked.Increment(ref _failedCalls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Failing)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new InvalidOperationException("The store is unavailable (test).");
        }

        lock (_lock)
        {
            _batches.Add([.. events]);
        }
    }
}
