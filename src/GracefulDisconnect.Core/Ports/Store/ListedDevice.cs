namespace GracefulDisconnect;

/// <summary>A device as <see cref="IDeviceStore.ListByStatusAsync"/> lists it: its stored record and the status committed with it.</summary>
/// <param name="Device">The record, as <see cref="IDeviceStore.LoadAsync"/> would return it.</param>
/// <param name="Status">The status committed with that version (<see cref="DeviceChange.Status"/>).</param>
public sealed record ListedDevice(StoredDevice Device, DeviceStatus Status)
{
    /// <summary>Where the next page starts: pass it as <see cref="DeviceStatusQuery.After"/>.</summary>
    public DeviceStatusCursor Cursor => new(Status.Since, Device.ThingName);
}
