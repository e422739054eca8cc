using System.Collections.Concurrent;

namespace GracefulDisconnect;

/// <summary>
/// How the engine's loops are doing, for a host to report: a fault that retrying cannot mend (a corrupt or deleted
/// store) stops the host instead of failing the same way forever, and is kept here for the host's exit message;
/// a failure the loops retry (the store unreachable for a while) is kept until that loop's next pass succeeds.
/// </summary>
public sealed class DeviceEngineHealth
{
    private readonly ConcurrentDictionary<string, LoopFailure> _retrying = new(StringComparer.Ordinal);
    private Exception? _fault;

    /// <summary>The failure that stopped the engine, if one did.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>The loops whose latest pass failed and is being retried, each with its first failure of the series.</summary>
    internal IReadOnlyCollection<LoopFailure> Retrying => [.. _retrying.Values];

    internal void Failed(Exception fault) => Interlocked.CompareExchange(ref _fault, fault, null);

    // The first failure of a series is kept: "failing since" is what an operator needs.
    internal void PassFailed(string loop, Exception exception, DateTimeOffset at)
        => _retrying.TryAdd(loop, new LoopFailure(loop, at, $"{exception.GetType().Name}: {exception.Message}"));

    internal void PassSucceeded(string loop)
    {
        if (!_retrying.IsEmpty)
        {
            _retrying.TryRemove(loop, out _);
        }
    }

    /// <summary>A loop failing since <paramref name="Since"/>, with its first error.</summary>
    internal sealed record LoopFailure(string Loop, DateTimeOffset Since, string Error);
}
