using System.Collections.Concurrent;

namespace GracefulDisconnect.Aws.Tests;

/// <summary>An <see cref="IRecheckHandler"/> that records what it was asked and answers what the test says.</summary>
internal sealed class RecordingRecheckHandler(Func<DisconnectTrigger, RecheckOutcome>? answer = null) : IRecheckHandler
{
    private readonly ConcurrentQueue<DisconnectTrigger> _calls = new();

    public IReadOnlyList<DisconnectTrigger> Calls => [.. _calls];

    public ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(trigger);
        return ValueTask.FromResult(answer?.Invoke(trigger) ?? new RecheckOutcome(RecheckResult.Notified));
    }
}
