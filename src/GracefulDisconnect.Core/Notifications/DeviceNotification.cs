namespace GracefulDisconnect;

/// <summary>
/// What every <see cref="INotifier"/> receives: a device that is really offline (<see cref="NotificationKind.Offline"/>),
/// and, when switched on, its recovery, reminders while the outage goes on, flapping, or a digest of many devices at once.
/// </summary>
/// <param name="ThingName">The device; for a <see cref="NotificationKind.Digest"/>, the group key (<c>*</c> when all devices form one group).</param>
/// <param name="OfflineSince">When the outage began, as the source reported it; for a digest, the earliest outage in it; for flapping, the disconnect that made it flap.</param>
/// <param name="DecidedAt">When the engine decided to send this.</param>
/// <param name="GracePeriod">The grace period the device outlasted.</param>
/// <param name="OutageId">Stable id of the outage (<c>{thing}@{epochSeconds}</c>); for a digest, <c>{group}@{epochSeconds of its first outage}</c>.</param>
/// <param name="Subject">A one-line subject, already rendered from the configured template.</param>
/// <param name="Message">The message text, already rendered from the configured template, time zone and culture.</param>
public sealed record DeviceNotification(
    string ThingName,
    DateTimeOffset OfflineSince,
    DateTimeOffset DecidedAt,
    TimeSpan GracePeriod,
    string OutageId,
    string Subject,
    string Message)
{
    /// <summary>What this notification tells. Default <see cref="NotificationKind.Offline"/>.</summary>
    public NotificationKind Kind { get; init; }

    /// <summary>How long the device was (<see cref="NotificationKind.Recovered"/>) or has been (<see cref="NotificationKind.Reminder"/>) offline.</summary>
    public TimeSpan? OfflineFor { get; init; }

    /// <summary>Which reminder this is, from 1 (<see cref="NotificationKind.Reminder"/> only).</summary>
    public int Reminder { get; init; }

    /// <summary>How many disconnects fell inside the flap window (<see cref="NotificationKind.Flapping"/> only).</summary>
    public int Disconnects { get; init; }

    /// <summary>The devices a <see cref="NotificationKind.Digest"/> stands for, in the order they were decided; empty otherwise.</summary>
    public IReadOnlyList<string> Things { get; init; } = [];

    /// <summary>
    /// A key unique to this message, for channels that deduplicate at-least-once deliveries (SNS FIFO, a file, an
    /// idempotent webhook receiver): the outage id for the offline notification, with a suffix for the others
    /// (<c>#recovered</c>, <c>#reminder-2</c>, <c>#flapping</c>, <c>#digest</c>), so a recovery is never mistaken for
    /// a repeat of the notification it follows.
    /// </summary>
    public string NotificationId => Kind switch
    {
        NotificationKind.Offline => OutageId,
        NotificationKind.Reminder => $"{OutageId}#reminder-{Reminder}",
        _ => $"{OutageId}#{Kind.ToReportName()}",
    };

    /// <summary>Value equality, with <see cref="Things"/> compared by its elements (a notification read back from a store equals the one written).</summary>
    /// <param name="other">The other notification.</param>
    /// <returns>Whether both say the same.</returns>
    public bool Equals(DeviceNotification? other)
        => other is not null
            && ThingName == other.ThingName
            && OfflineSince == other.OfflineSince
            && DecidedAt == other.DecidedAt
            && GracePeriod == other.GracePeriod
            && OutageId == other.OutageId
            && Subject == other.Subject
            && Message == other.Message
            && Kind == other.Kind
            && OfflineFor == other.OfflineFor
            && Reminder == other.Reminder
            && Disconnects == other.Disconnects
            && Things.SequenceEqual(other.Things);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(OutageId, Kind, Reminder, DecidedAt);
}
