namespace GracefulDisconnect;

/// <summary>
/// What started a re-check: <paramref name="ThingName"/> was seen going offline at
/// <paramref name="DisconnectedAt"/>, a time taken from the event source, never from the time the event arrived.
/// </summary>
/// <param name="ThingName">The device (AWS IoT thing or MQTT client id).</param>
/// <param name="DisconnectedAt">When the source says the device went offline.</param>
/// <param name="Version">
/// Optional ordering hint from the source (for example the lifecycle event <c>versionNumber</c>);
/// compared only when timestamps cannot tell two changes apart.
/// </param>
public readonly record struct DisconnectTrigger(string ThingName, DateTimeOffset DisconnectedAt, long? Version = null);
