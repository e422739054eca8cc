using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>The function's own log lines (event ids 4000-4099). No line carries a record body or credentials.</summary>
internal static partial class LambdaLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Ready: grace period {GracePeriod}, topic {TopicArn}, state table {StateTable}, recoveries {NotifyRecovery}")]
    public static partial void Ready(ILogger logger, TimeSpan gracePeriod, string topicArn, string stateTable, bool notifyRecovery);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Neither AWS_ENDPOINT_URL_IOT_DATA_PLANE nor AWS_ENDPOINT_URL is set: shadows are read from the regional default endpoint; set your account's (aws iot describe-endpoint --endpoint-type iot:Data-ATS)")]
    public static partial void DefaultIotEndpoint(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Batch of {Records} records: {Failed} reported as failures")]
    public static partial void BatchDone(ILogger logger, int records, int failed);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Record {MessageId} is malformed and is reported as a failure (receive count {ReceiveCount}); the redrive policy moves it to the dead-letter queue: {Problem}")]
    public static partial void MalformedRecord(ILogger logger, string messageId, string? receiveCount, string problem);

    // The cause in one line, without a stack trace: a missing table or permission is a deployment problem, and its message says the fix.
    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "{Records} records could not be recorded in the state table and are reported for redelivery: {ErrorType}: {Problem}")]
    public static partial void RecordingFailed(ILogger logger, int records, string errorType, string problem);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "The {Pass} pass was not started within {StartDeadline} of the invocation; the sweep or the next invocation does it")]
    public static partial void PassNotStarted(ILogger logger, string pass, TimeSpan startDeadline);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "The failure's details")]
    public static partial void RecordingFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Sweep: {Rechecked} devices re-checked, {Delivered} messages published")]
    public static partial void SweepDone(ILogger logger, int rechecked, int delivered);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "The {Pass} pass was cancelled {WorkDeadline} after the invocation began; its claims expire and another invocation takes the work over")]
    public static partial void PassCancelled(ILogger logger, string pass, TimeSpan workDeadline);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "The {Pass} pass failed and is left to the sweep: {ErrorType}: {Problem}")]
    public static partial void PassFailed(ILogger logger, string pass, string errorType, string problem);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "The passes were skipped: the invocation is past {WorkDeadline} already; the sweep does them")]
    public static partial void PassesSkipped(ILogger logger, TimeSpan workDeadline);
}
