namespace GracefulDisconnect.Engine;

/// <summary>
/// What the store keeps beside a record for listings (<see cref="DeviceChange.Status"/>): the record itself is opaque
/// to stores, so the engine says in the commit whether the device is offline and since when.
/// </summary>
internal static class DeviceRecordStatus
{
    /// <summary>The status of <paramref name="record"/>; <see langword="null"/> before its first event.</summary>
    public static DeviceStatus? Of(DeviceRecord record)
    {
        if (record.Silent is { } silent)
        {
            return new DeviceStatus(Offline: true, silent.Since);
        }

        return record.Last is { } last ? new DeviceStatus(!last.Connected, last.At) : null;
    }
}
