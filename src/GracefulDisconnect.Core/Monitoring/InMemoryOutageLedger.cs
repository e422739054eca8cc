using System.Collections.Concurrent;

namespace GracefulDisconnect;

/// <summary>
/// Keeps, per thing, the start of the last outage notified. One entry per thing is enough: a thing
/// is in one outage at a time, so an outage older than the last one notified is over.
/// </summary>
internal sealed class InMemoryOutageLedger : IOutageLedger
{
    private readonly ConcurrentDictionary<string, long> _lastNotified = new(StringComparer.Ordinal);

    public ValueTask<LedgerClaim> TryClaimAsync(OutageId outage, OfflineNotification notification, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(TryClaim(outage));

    // A claim is the record: nothing survives the process, so there is nothing more to confirm.
    public ValueTask MarkNotifiedAsync(OutageId outage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask ReleaseAsync(OutageId outage, CancellationToken cancellationToken = default)
    {
        _lastNotified.TryRemove(new KeyValuePair<string, long>(outage.ThingName, outage.StartedAtEpochSeconds));
        return ValueTask.CompletedTask;
    }

    public LedgerClaim TryClaim(OutageId outage)
    {
        while (true)
        {
            if (!_lastNotified.TryGetValue(outage.ThingName, out var last))
            {
                if (_lastNotified.TryAdd(outage.ThingName, outage.StartedAtEpochSeconds))
                {
                    return LedgerClaim.Claimed;
                }

                continue;
            }

            if (last == outage.StartedAtEpochSeconds)
            {
                return LedgerClaim.AlreadyNotified;
            }

            if (last > outage.StartedAtEpochSeconds)
            {
                return LedgerClaim.OlderThanNotified;
            }

            if (_lastNotified.TryUpdate(outage.ThingName, outage.StartedAtEpochSeconds, last))
            {
                return LedgerClaim.Claimed;
            }
        }
    }
}
