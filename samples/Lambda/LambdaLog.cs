using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>The function's own log lines (event ids 4000-4099). No line carries a record body or credentials.</summary>
internal static partial class LambdaLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Ready: grace period {GracePeriod}, topic {TopicArn}, queue {QueueUrl}, up to {MaxConcurrency} records at once")]
    public static partial void Ready(ILogger logger, TimeSpan gracePeriod, string topicArn, string queueUrl, int maxConcurrency);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Neither AWS_ENDPOINT_URL_IOT_DATA_PLANE nor AWS_ENDPOINT_URL is set: shadows are read from the regional default endpoint; set your account's (aws iot describe-endpoint --endpoint-type iot:Data-ATS)")]
    public static partial void DefaultIotEndpoint(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Batch of {Records} records: {Failed} reported as failures")]
    public static partial void BatchDone(ILogger logger, int records, int failed);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Record {MessageId} is malformed and is reported as a failure (receive count {ReceiveCount}); the redrive policy moves it to the dead-letter queue: {Problem}")]
    public static partial void MalformedRecord(ILogger logger, string messageId, string? receiveCount, string problem);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Record {MessageId} failed and is reported for redelivery (receive count {ReceiveCount})")]
    public static partial void RecordFailed(ILogger logger, string messageId, string? receiveCount, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Record {MessageId} was not started within {StartDeadline} of the invocation and is reported for redelivery")]
    public static partial void RecordNotStarted(ILogger logger, string messageId, TimeSpan startDeadline);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Record {MessageId}: {Action} {Result}")]
    public static partial void RecordHandled(ILogger logger, string messageId, Aws.SqsMessageAction action, RecheckResult? result);
}
