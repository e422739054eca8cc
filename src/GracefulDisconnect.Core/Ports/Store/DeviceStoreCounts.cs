namespace GracefulDisconnect;

/// <summary>What a store still has to do.</summary>
/// <param name="Waking">Devices with a wake time (a pending re-check or reminder).</param>
/// <param name="Undelivered">Outbox messages not yet acknowledged by their channel.</param>
/// <param name="Offline">Devices whose committed status (<see cref="DeviceChange.Status"/>) is offline.</param>
public readonly record struct DeviceStoreCounts(long Waking, long Undelivered, long Offline);
