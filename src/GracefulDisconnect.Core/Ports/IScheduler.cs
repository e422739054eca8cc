namespace GracefulDisconnect;

/// <summary>
/// Runs a re-check later: at <c>dueAt</c>, or soon after, it hands the trigger to the
/// <see cref="IRecheckHandler"/>. A scheduler may deliver early or more than once; the handler copes.
/// </summary>
public interface IScheduler
{
    /// <summary>Schedules a re-check.</summary>
    /// <param name="trigger">The disconnect to re-check.</param>
    /// <param name="dueAt">When the re-check is due.</param>
    /// <param name="cancellationToken">Cancels the scheduling call (not the re-check).</param>
    /// <returns>A task that completes once the re-check is safely scheduled.</returns>
    ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default);
}
