namespace GracefulDisconnect;

/// <summary>
/// A device's connection as the engine believes it after a commit, kept by the store beside the (opaque) record so
/// that a status page can list the devices offline now without reading every record
/// (<see cref="IDeviceStore.ListByStatusAsync"/>).
/// </summary>
/// <param name="Offline">Whether the device is believed offline: its latest change was a disconnect, or it went silent.</param>
/// <param name="Since">When that began: the time of the change by the source, or for a silent device the last time it was heard from.</param>
public readonly record struct DeviceStatus(bool Offline, DateTimeOffset Since);
