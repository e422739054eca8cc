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
    /// <summary>
    /// Whether the source may be sending a state it sent before, not news (an MQTT retained message, seen again on
    /// every subscribe): when the engine already has the device in this state, it is the same outage going on, not a
    /// new one. Sources that forward only changes leave it <see langword="false"/>: two disconnects in a row then mean
    /// a connect in between was not forwarded (the reference flow forwards disconnects only).
    /// </summary>
    public bool Retained { get; init; }

    /// <summary>
    /// Whether the event is only a sign of life (an MQTT telemetry message, say): the device was heard from, and that is
    /// all. It is not a connect or a disconnect: <see cref="Connected"/> and <see cref="Version"/> are not read, and the
    /// device's recorded state stays as it is. It moves the device's silence clock
    /// (<see cref="GracefulDisconnectOptions.SilentAfter"/>) when the device is believed connected, and ends a silent
    /// outage; for a device not watched for silence, never seen, or believed offline, it changes nothing.
    /// </summary>
    public bool SignOfLife { get; init; }

    /// <summary>The re-check trigger this event stands for, when it is a disconnect.</summary>
    /// <returns>The trigger.</returns>
    public DisconnectTrigger ToTrigger() => new(ThingName, At, Version);
}
