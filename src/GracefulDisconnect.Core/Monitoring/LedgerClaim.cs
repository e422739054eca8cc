namespace GracefulDisconnect;

/// <summary>The answer of <see cref="IOutageLedger.TryClaimAsync"/>.</summary>
public enum LedgerClaim
{
    /// <summary>Nobody has notified this outage: go ahead.</summary>
    Claimed,

    /// <summary>This outage was already notified.</summary>
    AlreadyNotified,

    /// <summary>A later outage of the same thing was already notified, so this one is over.</summary>
    OlderThanNotified,
}
