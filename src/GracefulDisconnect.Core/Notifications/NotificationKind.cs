namespace GracefulDisconnect;

/// <summary>What a <see cref="DeviceNotification"/> tells; its report name is in <see cref="NotificationKindNames"/>.</summary>
public enum NotificationKind
{
    /// <summary>A device outlasted its grace period and is still offline in the same outage (<c>notify</c>).</summary>
    Offline,

    /// <summary>A device notified as offline reconnected (<c>recovered</c>).</summary>
    Recovered,

    /// <summary>A notified outage is still going on (<c>reminder</c>).</summary>
    Reminder,

    /// <summary>A device disconnected too often inside a sliding window (<c>flapping</c>).</summary>
    Flapping,

    /// <summary>Many devices went offline together; one message lists them (<c>digest</c>).</summary>
    Digest,
}
