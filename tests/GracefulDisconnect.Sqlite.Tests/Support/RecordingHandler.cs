using System.Collections.Concurrent;

namespace GracefulDisconnect.Sqlite.Tests;

/// <summary>An <see cref="IRecheckHandler"/> that records every call and answers as told (default: notified, done).</summary>
public sealed class RecordingHandler : IRecheckHandler
{
    private readonly ConcurrentDictionary<DisconnectTrigger, int> _callsPerTrigger = new();
    private int _running;
    private int _maxRunning;

    public ConcurrentQueue<DisconnectTrigger> Calls { get; } = new();

    /// <summary>Given the trigger and how many times it was seen before this call.</summary>
    public Func<DisconnectTrigger, int, CancellationToken, ValueTask<RecheckOutcome>> Behaviour { get; set; }
        = static (_, _, _) => ValueTask.FromResult(new RecheckOutcome(RecheckResult.Notified));

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int CallsOf(DisconnectTrigger trigger) => _callsPerTrigger.TryGetValue(trigger, out var count) ? count : 0;

    public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        var previous = _callsPerTrigger.AddOrUpdate(trigger, 1, static (_, count) => count + 1) - 1;
        Calls.Enqueue(trigger);
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        try
        {
            // Whatever the behaviour waits for, stopping the scheduler with a cancelled token ends it.
            return await Behaviour(trigger, previous, cancellationToken).AsTask().WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
