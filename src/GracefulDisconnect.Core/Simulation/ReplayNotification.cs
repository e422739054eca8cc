namespace GracefulDisconnect.Simulation;

/// <summary>An opt-in alert sent during a replay: <c>recovered</c>, <c>reminder</c>, <c>flapping</c> or <c>digest</c>.</summary>
/// <param name="Kind">What it tells.</param>
/// <param name="ThingName">The device; for a digest, the group key.</param>
/// <param name="OfflineSince">When the outage began; for flapping, the disconnect that made it flap; for a digest, the earliest outage in it.</param>
/// <param name="DecidedAt">The virtual time it was sent.</param>
/// <param name="GracePeriod">The grace period of this replay.</param>
public readonly record struct ReplayNotification(NotificationKind Kind, string ThingName, DateTimeOffset OfflineSince, DateTimeOffset DecidedAt, TimeSpan GracePeriod)
{
    /// <summary>How long the device was offline (recovered: until it reconnected; reminder: so far).</summary>
    public TimeSpan? OfflineFor { get; init; }

    /// <summary>When the device reconnected, by the source (recovered only).</summary>
    public DateTimeOffset? RecoveredAt { get; init; }

    /// <summary>Which reminder, from 1 (reminder only).</summary>
    public int Reminder { get; init; }

    /// <summary>Disconnects inside the flap window (flapping only).</summary>
    public int Disconnects { get; init; }

    /// <summary>The start of the latest outage in a digest: with <see cref="OfflineSince"/>, the time span of the storm (digest only).</summary>
    public DateTimeOffset? LastOfflineSince { get; init; }

    /// <summary>The devices of a digest, in decision order (digest only).</summary>
    public IReadOnlyList<string>? Things { get; init; }
}
