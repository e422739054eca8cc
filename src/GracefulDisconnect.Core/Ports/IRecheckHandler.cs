namespace GracefulDisconnect;

/// <summary>Handles a re-check that a scheduler delivers: read, decide, notify at most once per outage.</summary>
public interface IRecheckHandler
{
    /// <summary>Re-checks a disconnect.</summary>
    /// <param name="trigger">The disconnect.</param>
    /// <param name="cancellationToken">Cancels the re-check.</param>
    /// <returns>What happened; when <see cref="RecheckOutcome.RetryAt"/> is set, the scheduler must deliver the trigger again then.</returns>
    ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default);
}
