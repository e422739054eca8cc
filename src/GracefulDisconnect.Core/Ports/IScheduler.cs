namespace GracefulDisconnect;

/// <summary>
/// Wakes a device later: at <c>dueAt</c>, or soon after, it hands the trigger back to the <see cref="IRecheckHandler"/>
/// (the engine). The engine asks for a wake after each commit that moves a device's wake time (its re-check, next
/// reminder or silence check); it decides from the device's record when the wake comes, so a scheduler may deliver
/// early, late or more than once. Optional: without one the store's due wakes, polled by the engine's loops, are the
/// schedule (<c>GracefulDisconnectBuilder.UseScheduler</c>).
/// </summary>
public interface IScheduler
{
    /// <summary>Schedules a wake.</summary>
    /// <param name="trigger">The device, and the disconnect (or notified outage) the wake is for.</param>
    /// <param name="dueAt">When to wake the device.</param>
    /// <param name="cancellationToken">Cancels the scheduling call (not the wake).</param>
    /// <returns>A task that completes once the wake is safely scheduled.</returns>
    ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default);
}
