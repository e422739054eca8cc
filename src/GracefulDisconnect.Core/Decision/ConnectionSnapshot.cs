namespace GracefulDisconnect;

/// <summary>The connection state of a device as read at re-check time.</summary>
/// <param name="Connected">Whether the device is connected now.</param>
/// <param name="ChangedAt">When that state was last reported (for a Device Shadow: the attribute's metadata timestamp).</param>
/// <param name="Version">Optional ordering hint, compared with <see cref="DisconnectTrigger.Version"/> when both are present.</param>
public readonly record struct ConnectionSnapshot(bool Connected, DateTimeOffset ChangedAt, long? Version = null);
