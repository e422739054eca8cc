using GracefulDisconnect.Engine;

namespace GracefulDisconnect;

/// <summary>
/// What a stored device record says about its alerts, for a status page or a health report of one's own: whether
/// its outage was notified (and how often reminded), whether a re-check is pending, whether it went silent. A view,
/// read from <see cref="StoredDevice.State"/>; the record itself stays the engine's private format.
/// </summary>
/// <param name="ThingName">The device.</param>
public sealed record DeviceAlertState(string ThingName)
{
    /// <summary>When the pending re-check of its latest disconnect is due; <see langword="null"/> when none is pending.</summary>
    public DateTimeOffset? RecheckDueAt { get; init; }

    /// <summary>When its current outage was notified as offline; <see langword="null"/> when no notified outage is open.</summary>
    public DateTimeOffset? NotifiedAt { get; init; }

    /// <summary>How many reminders of the current notified outage were sent.</summary>
    public int Reminders { get; init; }

    /// <summary>When it was last heard from, if it was notified as silent (<see cref="GracefulDisconnectOptions.SilentAfter"/>) and has not spoken since.</summary>
    public DateTimeOffset? SilentSince { get; init; }

    /// <summary>When it was notified as silent.</summary>
    public DateTimeOffset? SilentNotifiedAt { get; init; }

    /// <summary>When the latest outage notified as offline began (whole seconds, as outages are identified); <see langword="null"/> when none ever was.</summary>
    public DateTimeOffset? LastNotifiedOutageStartedAt { get; init; }

    /// <summary>Whether the device is inside a flapping episode (<see cref="AlertOptions.Flapping"/>): notified once, over after a quiet window.</summary>
    public bool Flapping { get; init; }

    /// <summary>Reads the view of a stored record.</summary>
    /// <param name="device">The record, as <see cref="IDeviceStore.LoadAsync"/> or <see cref="IDeviceStore.ListByStatusAsync"/> return it.</param>
    /// <param name="state">The view; <see langword="null"/> when the record cannot be read.</param>
    /// <returns>Whether the record could be read: a record written by a newer version of the engine cannot.</returns>
    public static bool TryRead(StoredDevice device, out DeviceAlertState? state)
    {
        ArgumentNullException.ThrowIfNull(device);
        DeviceRecord record;
        try
        {
            record = DeviceRecordCodec.Read(device.ThingName, device.State);
        }
        catch (FormatException)
        {
            state = null;
            return false;
        }

        state = new DeviceAlertState(device.ThingName)
        {
            RecheckDueAt = record.Pending?.DueAt,
            NotifiedAt = record.Open?.NotifiedAt,
            Reminders = record.Open?.Reminders ?? 0,
            SilentSince = record.Silent?.Since,
            SilentNotifiedAt = record.Silent?.NotifiedAt,
            LastNotifiedOutageStartedAt = record.LastNotifiedOutage == long.MinValue ? null : DateTimeOffset.FromUnixTimeSeconds(record.LastNotifiedOutage),
            Flapping = record.Flapping,
        };
        return true;
    }
}
