namespace GracefulDisconnect.Simulation;

/// <summary>One re-check decided during a replay.</summary>
/// <param name="ThingName">The device.</param>
/// <param name="Result">What the re-check did (<c>notify</c>, <c>skip-reconnected</c>, ...).</param>
/// <param name="OfflineSince">When the triggering disconnect happened, as the source reported it.</param>
/// <param name="DecidedAt">The virtual time of the re-check: <c>max(OfflineSince + grace, arrival of the disconnect)</c>.</param>
/// <param name="GracePeriod">The grace period of this replay.</param>
public readonly record struct ReplayDecision(string ThingName, RecheckResult Result, DateTimeOffset OfflineSince, DateTimeOffset DecidedAt, TimeSpan GracePeriod)
{
    /// <summary>
    /// A notify sent as part of a storm digest instead of on its own. With digests on, notify decisions reach the sink
    /// when their digest window closes, right before the digest itself.
    /// </summary>
    public bool FoldedIntoDigest { get; init; }
}
