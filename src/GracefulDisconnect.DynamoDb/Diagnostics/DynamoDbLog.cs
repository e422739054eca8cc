using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.DynamoDb;

/// <summary>The DynamoDB store's log messages (event ids 6100-6199). No line carries credentials or a payload.</summary>
internal static partial class DynamoDbLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "DynamoDB store: created table '{Table}' (on-demand billing, its indexes, time to live on '{TtlAttribute}')")]
    public static partial void TableCreated(ILogger logger, string table, string ttlAttribute);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug, Message = "DynamoDB store: table '{Table}' is {Status} with the indexes the store needs")]
    public static partial void TableReady(ILogger logger, string table, string status);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "DynamoDB store: could not turn on time to live for table '{Table}' ({Problem}); delivered outbox items are kept until deleted by hand")]
    public static partial void TimeToLiveUnavailable(ILogger logger, string table, string problem);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "DynamoDB store: table '{Table}': queued {Count} outbox messages of device '{Thing}' left by a commit whose process stopped before queueing them")]
    public static partial void OutboxRecovered(ILogger logger, string table, int count, string thing);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "DynamoDB store: table '{Table}': a commit of {Total} devices failed after {Written} were written; the written ones keep their new version")]
    public static partial void CommitPartlyWritten(ILogger logger, string table, int total, int written, Exception exception);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "DynamoDB store: table '{Table}': device '{Thing}' is committed, but queueing its outbox messages failed; they are kept in its item and queued by a later sweep")]
    public static partial void QueueingDeferred(ILogger logger, string table, string thing, Exception exception);
}
