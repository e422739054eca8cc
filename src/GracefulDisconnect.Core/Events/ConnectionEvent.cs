namespace GracefulDisconnect;

/// <summary>A device connected or disconnected, as reported by an event source.</summary>
/// <param name="ThingName">The device.</param>
/// <param name="Connected">Whether the device connected (<see langword="true"/>) or disconnected.</param>
/// <param name="At">When the source says it happened.</param>
/// <param name="Version">Optional ordering hint from the source (lifecycle <c>versionNumber</c>, shadow <c>version</c>).</param>
/// <param name="ReceivedAt">Optional: when the event reached us. Replays use it to model late and out-of-order delivery.</param>
public readonly record struct ConnectionEvent(
    string ThingName,
    bool Connected,
    DateTimeOffset At,
    long? Version = null,
    DateTimeOffset? ReceivedAt = null)
{
    /// <summary>The re-check trigger this event stands for, when it is a disconnect.</summary>
    /// <returns>The trigger.</returns>
    public DisconnectTrigger ToTrigger() => new(ThingName, At, Version);
}
