namespace GracefulDisconnect;

/// <summary>
/// A store shared by several processes that can tell when another process made work due (PostgreSQL's
/// <c>LISTEN/NOTIFY</c>), so an idle engine wakes at once instead of finding out at its next poll. Optional: an
/// engine on a store without it polls.
/// </summary>
public interface IDeviceStoreSignal
{
    /// <summary>Waits until a commit, in any process, made work due (a wake at or before its time, or outbox messages), or until <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when signalled, <see langword="false"/> after the timeout.</returns>
    Task<bool> WaitForSignalAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
