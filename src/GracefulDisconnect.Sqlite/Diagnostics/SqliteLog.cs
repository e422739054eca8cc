using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Sqlite;

/// <summary>Every log line of the SQLite store, source-generated with stable event ids (3000-3099).</summary>
internal static partial class SqliteLog
{
    // 3000-3019: the outbox.
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "The outbox holds {Count} notifications claimed but never confirmed (a crash while sending, or sending failed); re-sending them")]
    public static partial void OutboxRecovering(ILogger logger, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Re-sent the notification of outage {OutageId} from the outbox (attempt {Attempt})")]
    public static partial void OutboxResent(ILogger logger, OutageId outageId, int attempt);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Re-sending the notification of outage {OutageId} from the outbox failed (attempt {Attempt}); next attempt at {NextAttemptAt:o}")]
    public static partial void OutboxResendFailed(ILogger logger, OutageId outageId, int attempt, DateTimeOffset nextAttemptAt, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "The outbox pass failed; next pass at {NextPassAt:o}")]
    public static partial void OutboxPassFailed(ILogger logger, DateTimeOffset nextPassAt, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "The notification of outage {OutageId} in the outbox cannot be read; it is kept for inspection and not sent")]
    public static partial void OutboxUnreadable(ILogger logger, OutageId outageId, Exception exception);

    // 3020-3039: the scheduler.
    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "SQLite scheduler started on {Path}: {Pending} re-checks pending, {Due} of them due now")]
    public static partial void SchedulerStarted(ILogger logger, string path, long pending, long due);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "SQLite scheduler stopped; pending re-checks stay in {Path}")]
    public static partial void SchedulerStopped(ILogger logger, string path);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "Writing {Count} re-check changes to the SQLite store failed; the callers see the error")]
    public static partial void WriteBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Error, Message = "Re-check of {ThingName} threw; it stays stored and is retried at {RetryAt:o}")]
    public static partial void RecheckThrew(ILogger logger, string thingName, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Error, Message = "Recording the outcome of the re-check of {ThingName} failed; the re-check stays stored and runs again")]
    public static partial void RecheckOutcomeNotRecorded(ILogger logger, string thingName, Exception exception);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Error, Message = "Looking for due re-checks failed; next try at {NextTryAt:o}")]
    public static partial void DispatchFailed(ILogger logger, DateTimeOffset nextTryAt, Exception exception);

    // 3040-3059: the database and the connection state.
    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "SQLite store {Path} migrated from schema version {From} to {To}")]
    public static partial void SchemaMigrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Debug, Message = "Ignored an event of {ThingName} at {At:o}: the stored state is as new or newer")]
    public static partial void StaleEventIgnored(ILogger logger, string thingName, DateTimeOffset at);
}
