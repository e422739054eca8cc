namespace GracefulDisconnect;

/// <summary>
/// Handles a wake that an <see cref="IScheduler"/> delivers: <see cref="DeviceEngine"/> steps the device if its re-check,
/// reminder or silence check is due (read, decide, notify at most once per outage) and asks the scheduler for the next
/// wake itself.
/// </summary>
public interface IRecheckHandler
{
    /// <summary>Handles a wake.</summary>
    /// <param name="trigger">The device and the disconnect the wake was scheduled for.</param>
    /// <param name="cancellationToken">Cancels the re-check.</param>
    /// <returns>What happened; <see cref="RecheckOutcome.RetryAt"/> says when the device needs the handler next (already scheduled).</returns>
    ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default);
}
