namespace GracefulDisconnect.Engine;

/// <summary>
/// Everything the engine knows about one device, in one record: what any rule needs to decide the next step lives
/// here, so the record survives restarts and moves between processes through the store (<see cref="IDeviceStore"/>).
/// Immutable: <see cref="DeviceStateMachine"/> returns a new record per transition.
/// </summary>
/// <param name="ThingName">The device.</param>
internal sealed record DeviceRecord(string ThingName)
{
    /// <summary>The newest change observed, by state order (<see cref="StateOrder"/>); <see langword="null"/> before the first event.</summary>
    public ObservedChange? Last { get; init; }

    /// <summary>The disconnect waiting for its re-check, if any. At most one: a newer change settles an older disconnect at once.</summary>
    public PendingRecheck? Pending { get; init; }

    /// <summary>The outage notified as offline and not over yet (its recovery and reminders are still to come).</summary>
    public NotifiedOutage? Open { get; init; }

    /// <summary>The start (whole epoch seconds) of the latest outage notified, so a repeat of it is never notified twice.</summary>
    public long LastNotifiedOutage { get; init; } = long.MinValue;

    /// <summary>Recent distinct disconnect times (UTC ticks, ascending) inside the flap window, for flap detection.</summary>
    public IReadOnlyList<long> RecentDisconnects { get; init; } = [];

    /// <summary>Whether the device is inside a flapping episode (notified once; over after a quiet window).</summary>
    public bool Flapping { get; init; }

    /// <summary>The latest disconnect the flap detector saw (UTC ticks); <see cref="long.MinValue"/> before the first.</summary>
    public long FlapLatest { get; init; } = long.MinValue;

    /// <summary>When the engine last recorded an event of the device (its clock), while silence is watched for it (<see cref="DeviceSilence"/>).</summary>
    public DateTimeOffset? HeardAt { get; init; }

    /// <summary>When to look whether the device has gone silent: set once per silence period and moved on lazily, so a chatty device has one wake, not one per message.</summary>
    public DateTimeOffset? SilenceCheckAt { get; init; }

    /// <summary>The device went silent while believed connected, and has not spoken since.</summary>
    public SilentOutage? Silent { get; init; }

    /// <summary>When the device needs the engine next on its own: its pending re-check, its next reminder or its silence check, whichever is first.</summary>
    public DateTimeOffset? WakeAt => Earliest(Earliest(Pending?.DueAt, Open?.WakeAt), SilenceCheckAt);

    /// <summary>Whether the record says anything that must be kept (a device with nothing pending and nothing open can still be kept for its last state).</summary>
    public bool IsEmpty => Last is null && Pending is null && Open is null && FlapLatest == long.MinValue && HeardAt is null && Silent is null;

    internal static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null || a <= b ? a : b;
}

/// <summary>A connection change as the source reported it.</summary>
/// <param name="Connected">Whether the device connected.</param>
/// <param name="At">When, by the source.</param>
/// <param name="Version">The source's ordering hint, if any.</param>
internal readonly record struct ObservedChange(bool Connected, DateTimeOffset At, long? Version);

/// <summary>A disconnect waiting for its re-check.</summary>
/// <param name="DisconnectedAt">When the device went offline, by the source.</param>
/// <param name="Version">The source's ordering hint, if any.</param>
/// <param name="DueAt">When the re-check is due: the end of the grace period, or the time it was recorded when that is later.</param>
/// <param name="RecordedAt">When the engine recorded the disconnect, by the engine's clock: whether it came in time decides what a late re-check may say.</param>
internal sealed record PendingRecheck(DateTimeOffset DisconnectedAt, long? Version, DateTimeOffset DueAt, DateTimeOffset RecordedAt);

/// <summary>A device that went silent (<see cref="DeviceSilence"/>).</summary>
/// <param name="Since">When it was last heard from, by the engine's clock: the start of the outage.</param>
/// <param name="NotifiedAt">When the engine found it silent and notified.</param>
internal sealed record SilentOutage(DateTimeOffset Since, DateTimeOffset NotifiedAt);

/// <summary>An outage notified as offline.</summary>
/// <param name="StartedAt">When it began, by the source.</param>
/// <param name="Version">The ordering hint of its disconnect, if any.</param>
/// <param name="NotifiedAt">When the offline notification was decided.</param>
/// <param name="Reminders">How many reminders were sent.</param>
/// <param name="NextReminderAt">When the next reminder is due; <see langword="null"/> when the series is over or off.</param>
/// <param name="BackAt">
/// With <see cref="AlertOptions.StableFor"/>: when the device connected again (by the source), while it has
/// not yet stayed connected long enough for its recovery; <see langword="null"/> while it is down.
/// </param>
/// <param name="RecoverAt">When to tell the recovery if the device is still back then (<c>BackAt + StableFor</c>, or later when the connect came late).</param>
/// <param name="Untold">
/// With <see cref="AlertOptions.StableFor"/>: an outage the engine missed (its re-check came only after the
/// device was back), not told yet: its report waits, like a recovery, until the device has stayed back.
/// </param>
internal sealed record NotifiedOutage(
    DateTimeOffset StartedAt, long? Version, DateTimeOffset NotifiedAt, int Reminders, DateTimeOffset? NextReminderAt,
    DateTimeOffset? BackAt = null, DateTimeOffset? RecoverAt = null, bool Untold = false)
{
    /// <summary>When the outage needs the engine next: its next reminder or its recovery, whichever is first.</summary>
    public DateTimeOffset? WakeAt => DeviceRecord.Earliest(NextReminderAt, RecoverAt);
}
