namespace GracefulDisconnect;

/// <summary>
/// An <see cref="IShadowReader"/> that keeps each thing's history, so a re-check can ask how the thing was when
/// its grace period ended instead of how it is now. That answer does not depend on when the re-check runs: a
/// re-check that runs late (the process was down, the queue was slow) and finds the device back already still
/// notifies when the device came back only after the grace period, and events that reach the store late
/// (a source delivering its backlog after a restart) are judged by their own times. The re-check handler uses
/// <see cref="ReadAsOfAsync"/> whenever the registered reader implements it.
/// </summary>
public interface IPointInTimeShadowReader : IShadowReader
{
    /// <summary>Reads the connection state of a thing as it was at <paramref name="asOf"/>: the latest change at or before it.</summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="asOf">The instant of interest (for a re-check: the end of the grace period).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when nothing is known about the thing.</returns>
    ValueTask<ConnectionSnapshot?> ReadAsOfAsync(string thingName, DateTimeOffset asOf, CancellationToken cancellationToken = default);
}
