using Microsoft.Extensions.Logging;

namespace GracefulDisconnect;

/// <summary>Every log line of the core, source-generated with stable event ids (1000-1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Re-check of {ThingName} (offline since {DisconnectedAt:o}): {Result}")]
    public static partial void RecheckDecided(ILogger logger, string thingName, DateTimeOffset disconnectedAt, RecheckResult result);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Reading the state of {ThingName} failed; retrying at {RetryAt:o}")]
    public static partial void ReadFailed(ILogger logger, string thingName, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Re-check of {ThingName} threw; it is retried at {RetryAt:o}")]
    public static partial void RecheckThrew(ILogger logger, string thingName, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Notified outage {OutageId} of {ThingName}")]
    public static partial void Notified(ILogger logger, string outageId, string thingName);

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

    [LoggerMessage(EventId = 1029, Level = LogLevel.Warning, Message = "Asking the scheduler to wake {ThingName} at {WakeAt:o} failed; the wake stays in the store for the due loop or a sweep")]
    public static partial void ScheduleFailed(ILogger logger, string thingName, DateTimeOffset wakeAt, Exception exception);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Reading the state of {Count} due devices in one batch failed; retrying at {RetryAt:o}")]
    public static partial void BatchReadFailed(ILogger logger, int count, DateTimeOffset retryAt, Exception exception);
}
