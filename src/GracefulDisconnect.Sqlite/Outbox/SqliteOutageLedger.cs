using System.Text.Json;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// A durable <see cref="IOutageLedger"/>: the same answers as the in-memory ledger (per thing, the last
/// outage claimed; the same start second is a duplicate, an earlier one is over), kept in SQLite with the
/// notification itself, so a claim whose send never got confirmed is found again by the
/// <see cref="OutboxDispatcher"/> and delivered, even after a crash.
/// </summary>
internal sealed class SqliteOutageLedger(OutboxStore store, TimeProvider time) : IOutageLedger
{
    public ValueTask<LedgerClaim> TryClaimAsync(OutageId outage, DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var json = JsonSerializer.Serialize(notification, OutboxJsonContext.Default.DeviceNotification);
        return store.TryClaimAsync(outage, json, time.GetUtcNow().UtcTicks, cancellationToken);
    }

    public ValueTask MarkNotifiedAsync(OutageId outage, CancellationToken cancellationToken = default)
        => store.MarkSentAsync(outage, time.GetUtcNow().UtcTicks, cancellationToken);

    // The row stays, marked released with a backoff: the re-check's retry may claim it again, and if that
    // retry never comes (another scheduler gave up, the device came back), the outbox still delivers it.
    public async ValueTask ReleaseAsync(OutageId outage, CancellationToken cancellationToken = default)
        => await store.ReleaseAsync(outage, time.GetUtcNow().UtcTicks, cancellationToken).ConfigureAwait(false);
}
