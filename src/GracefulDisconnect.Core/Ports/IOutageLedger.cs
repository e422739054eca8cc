namespace GracefulDisconnect;

/// <summary>
/// Remembers which outages have been notified, so that each is notified at most once even when
/// triggers and re-checks are delivered twice. The protocol is claim, send, then confirm
/// (<see cref="MarkNotifiedAsync"/>) or give back (<see cref="ReleaseAsync"/>). A durable ledger keeps
/// claimed-but-unconfirmed notifications as an outbox, so a crash while sending loses nothing.
/// The in-memory ledger is the default.
/// </summary>
public interface IOutageLedger
{
    /// <summary>Claims the right to send the notification of an outage.</summary>
    /// <param name="outage">The outage.</param>
    /// <param name="notification">What will be sent; durable ledgers keep it until confirmed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the claim was granted, and if not, why.</returns>
    ValueTask<LedgerClaim> TryClaimAsync(OutageId outage, DeviceNotification notification, CancellationToken cancellationToken = default);

    /// <summary>Confirms that the notification of a claimed outage was sent.</summary>
    /// <param name="outage">The outage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once recorded.</returns>
    ValueTask MarkNotifiedAsync(OutageId outage, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim back after the notification could not be sent, so a later re-check may claim it again.</summary>
    /// <param name="outage">The outage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the claim is released.</returns>
    ValueTask ReleaseAsync(OutageId outage, CancellationToken cancellationToken = default);
}
