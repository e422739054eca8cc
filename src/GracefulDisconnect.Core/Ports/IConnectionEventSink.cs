namespace GracefulDisconnect;

/// <summary>
/// Where an event source (MQTT, a queue, a pipe) hands connection events to the engine. The returned task completes
/// once every event of the batch is durable in the engine's store, so a source that acknowledges its broker or queue
/// only after it completes never loses an acknowledged event. Hand over whatever has arrived since the last call:
/// one call per batch is how the engine records many events in one commit.
/// </summary>
public interface IConnectionEventSink
{
    /// <summary>Records a batch of events (in arrival order) and completes once they are durable.</summary>
    /// <param name="events">The events, in the order they arrived.</param>
    /// <param name="cancellationToken">Cancels the call; events of a cancelled call may or may not have been recorded.</param>
    /// <returns>A task that completes once the events are durable.</returns>
    /// <exception cref="ArgumentException">An event's thing name is not valid; nothing of the batch was recorded.</exception>
    ValueTask RecordAsync(IReadOnlyList<ConnectionEvent> events, CancellationToken cancellationToken = default);
}
