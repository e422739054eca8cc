using Microsoft.Extensions.Logging;

namespace GracefulDisconnect;

/// <summary>Every log line of the core, source-generated with stable event ids (1000-1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Re-check of {ThingName} (offline since {DisconnectedAt:o}) scheduled for {DueAt:o}")]
    public static partial void RecheckScheduled(ILogger logger, string thingName, DateTimeOffset disconnectedAt, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Re-check of {ThingName} (offline since {DisconnectedAt:o}): {Result}")]
    public static partial void RecheckDecided(ILogger logger, string thingName, DateTimeOffset disconnectedAt, RecheckResult result);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Reading the state of {ThingName} failed; retrying at {RetryAt:o}")]
    public static partial void ReadFailed(ILogger logger, string thingName, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Notifying outage {OutageId} failed; it stays pending and is retried at {RetryAt:o}")]
    public static partial void NotifyFailed(ILogger logger, string outageId, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Re-check of {ThingName} threw; it is retried at {RetryAt:o}")]
    public static partial void RecheckThrew(ILogger logger, string thingName, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Notified outage {OutageId} of {ThingName}")]
    public static partial void Notified(ILogger logger, string outageId, string thingName);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Notifying outage {OutageId} through {Notifier} failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void NotifyAttemptFailed(ILogger logger, string outageId, string notifier, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Sent {Kind} notification {NotificationId}")]
    public static partial void AlertSent(ILogger logger, string kind, string notificationId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Sending {Kind} notification {NotificationId} failed after every attempt; it is kept and sent again with the next event of {ThingName} (an at-least-once event source redelivers this one)")]
    public static partial void AlertFailed(ILogger logger, string kind, string notificationId, string thingName, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Too many unsent notifications for {ThingName}: {NotificationId} is dropped")]
    public static partial void AlertDropped(ILogger logger, string thingName, string notificationId);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "Reminders for outage {OutageId} ended: {Reason}")]
    public static partial void RemindersEnded(ILogger logger, string outageId, string reason);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Sent digest {NotificationId} of {Count} devices")]
    public static partial void DigestSent(ILogger logger, string notificationId, int count);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "Sending digest {NotificationId} of {Count} devices failed; each of their re-checks is retried")]
    public static partial void DigestFailed(ILogger logger, string notificationId, int count, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "In-memory scheduler stopped with {Pending} re-checks pending")]
    public static partial void SchedulerStopped(ILogger logger, int pending);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, Message = "Recorded {Count} events of {Devices} devices in one commit")]
    public static partial void BatchRecorded(ILogger logger, int count, int devices);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "{Count} devices changed in another process meanwhile; their step is redone (attempt {Attempt})")]
    public static partial void CommitConflicted(ILogger logger, int count, int attempt);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "Delivered {Kind} notification {NotificationId} to {Channel}")]
    public static partial void Delivered(ILogger logger, NotificationKind kind, string notificationId, string channel);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning, Message = "Delivering {NotificationId} to {Channel} failed (attempt {Attempt}); it stays in the outbox and is retried at {RetryAt:o}")]
    public static partial void DeliveryFailed(ILogger logger, string notificationId, string channel, int attempt, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Error, Message = "The outbox holds a message for {Channel} that cannot be read ({Problem}); it is kept and offered again in a day")]
    public static partial void UnreadableDelivery(ILogger logger, string channel, string problem);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Error, Message = "The record of {ThingName} in the store cannot be read ({Problem}); the device starts afresh")]
    public static partial void UnreadableRecord(ILogger logger, string thingName, string problem);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Error, Message = "The engine's store failed; retrying in {Delay}")]
    public static partial void StoreFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1027, Level = LogLevel.Critical, Message = "The engine stopped: {Problem}")]
    public static partial void StoreFatal(ILogger logger, string problem);

    [LoggerMessage(EventId = 1028, Level = LogLevel.Warning, Message = "{Problem}; retrying in {Delay}")]
    public static partial void StoreUnavailable(ILogger logger, string problem, TimeSpan delay);
}
