namespace GracefulDisconnect;

/// <summary>
/// Remembers which outages have been notified, so that each is notified at most once even when
/// triggers and re-checks are delivered twice. The in-memory ledger is the default; durable ones survive restarts.
/// </summary>
public interface IOutageLedger
{
    /// <summary>Claims the right to notify an outage.</summary>
    /// <param name="outage">The outage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the claim was granted, and if not, why.</returns>
    ValueTask<LedgerClaim> TryClaimAsync(OutageId outage, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim back after the notification could not be sent, so a later re-check may claim it again.</summary>
    /// <param name="outage">The outage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the claim is released.</returns>
    ValueTask ReleaseAsync(OutageId outage, CancellationToken cancellationToken = default);
}
