using System.Collections.Concurrent;

namespace GracefulDisconnect;

/// <summary>
/// Keeps, per thing, the start of the last outage claimed. One entry per thing is enough: a thing
/// is in one outage at a time, so an outage older than the last one claimed is over.
/// </summary>
internal sealed class InMemoryOutageLedger : IOutageLedger
{
    private readonly ConcurrentDictionary<string, Entry> _lastClaimed = new(StringComparer.Ordinal);

    public ValueTask<LedgerClaim> TryClaimAsync(OutageId outage, DeviceNotification notification, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(TryClaim(outage));

    // A claim is the record: nothing survives the process, so there is nothing more to confirm.
    public ValueTask MarkNotifiedAsync(OutageId outage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    // The entry stays, marked released, rather than being removed: removing it would also forget
    // that an earlier outage of the thing was notified, and a duplicate re-check of that one would
    // then be granted a second notification.
    public ValueTask ReleaseAsync(OutageId outage, CancellationToken cancellationToken = default)
    {
        _lastClaimed.TryUpdate(outage.ThingName, new Entry(outage.StartedAtEpochSeconds, Released: true), new Entry(outage.StartedAtEpochSeconds, Released: false));
        return ValueTask.CompletedTask;
    }

    public LedgerClaim TryClaim(OutageId outage)
    {
        var claimed = new Entry(outage.StartedAtEpochSeconds, Released: false);
        while (true)
        {
            if (!_lastClaimed.TryGetValue(outage.ThingName, out var last))
            {
                if (_lastClaimed.TryAdd(outage.ThingName, claimed))
                {
                    return LedgerClaim.Claimed;
                }

                continue;
            }

            if (last.StartedAtEpochSeconds > outage.StartedAtEpochSeconds)
            {
                return LedgerClaim.OlderThanNotified;
            }

            if (last == claimed)
            {
                return LedgerClaim.AlreadyNotified;
            }

            if (_lastClaimed.TryUpdate(outage.ThingName, claimed, last))
            {
                return LedgerClaim.Claimed;
            }
        }
    }

    private readonly record struct Entry(long StartedAtEpochSeconds, bool Released);
}
