namespace GracefulDisconnect;

/// <summary>A device that is really offline: what every <see cref="INotifier"/> receives.</summary>
/// <param name="ThingName">The device.</param>
/// <param name="OfflineSince">When the outage began, as the source reported it.</param>
/// <param name="DecidedAt">When the re-check decided to notify.</param>
/// <param name="GracePeriod">The grace period the device outlasted.</param>
/// <param name="OutageId">Stable id of the outage (<c>{thing}@{epochSeconds}</c>): a deduplication key for at-least-once channels.</param>
/// <param name="Subject">A one-line subject, already rendered from the configured template.</param>
/// <param name="Message">The message text, already rendered from the configured template, time zone and culture.</param>
public sealed record OfflineNotification(
    string ThingName,
    DateTimeOffset OfflineSince,
    DateTimeOffset DecidedAt,
    TimeSpan GracePeriod,
    string OutageId,
    string Subject,
    string Message);
