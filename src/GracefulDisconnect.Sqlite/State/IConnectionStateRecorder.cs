namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Records connection events as the last known state of each device, for hosts where no cloud shadow
/// exists (<c>gracefuldisconnect run</c>): the SQLite store then answers <see cref="IShadowReader"/> from it.
/// Record every event, connects included, before handing it to the <see cref="DisconnectMonitor"/>.
/// </summary>
/// <remarks>
/// Events may arrive late, twice or out of order; the stored state is always the latest by event time,
/// then version (an event without one counts as older), then a disconnect after a connect of the same
/// instant and version. An older event never overwrites a newer one.
/// </remarks>
public interface IConnectionStateRecorder
{
    /// <summary>Records an event if it is newer than the state stored for its thing.</summary>
    /// <param name="connectionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the event became the stored state; <see langword="false"/> when the stored state is as new or newer.</returns>
    /// <exception cref="ArgumentException">The thing name is not valid.</exception>
    ValueTask<bool> RecordAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default);
}
