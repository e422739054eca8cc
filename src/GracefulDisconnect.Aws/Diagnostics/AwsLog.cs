using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Aws;

/// <summary>Every log line of the AWS adapters, source-generated with stable event ids (2000-2099). No line carries credentials or bodies.</summary>
internal static partial class AwsLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Shadow of {ThingName} read: connected={Connected}, changed at {ChangedAt:o}")]
    public static partial void ShadowRead(ILogger logger, string thingName, bool connected, DateTimeOffset changedAt);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Shadow of {ThingName} not found ({ErrorCode})")]
    public static partial void ShadowNotFound(ILogger logger, string thingName, string? errorCode);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "AWS {Service} request failed with {Status}; retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string service, int attempt, string status, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Published outage {OutageId} of {ThingName} to SNS as message {MessageId}")]
    public static partial void Published(ILogger logger, string outageId, string thingName, string messageId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Re-check of {ThingName} (offline since {DisconnectedAt:o}) sent to SQS with a delay of {DelaySeconds}s (due {DueAt:o})")]
    public static partial void Enqueued(ILogger logger, string thingName, DateTimeOffset disconnectedAt, int delaySeconds, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Re-check of {ThingName} is due at {DueAt:o}: sent back to the queue")]
    public static partial void Deferred(ILogger logger, string thingName, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Connect event of {ThingName} ignored: re-checks read the current state anyway")]
    public static partial void ConnectIgnored(ILogger logger, string thingName);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "SQS message {MessageId} is malformed and is left for the dead-letter queue: {Problem}")]
    public static partial void MalformedMessage(ILogger logger, string? messageId, string problem);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "SQS message {MessageId} could not be handled and will be delivered again")]
    public static partial void MessageFailed(ILogger logger, string? messageId, Exception exception);


    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "AWS {Api} throttled us and asked to wait {Delay}: every {Api} request waits")]
    public static partial void Paused(ILogger logger, string api, TimeSpan delay);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Connectivity of {ThingName} read: connected={Connected}, changed at {ChangedAt:o} ({DisconnectReason})")]
    public static partial void ConnectivityRead(ILogger logger, string thingName, bool connected, DateTimeOffset changedAt, string? disconnectReason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Debug, Message = "Connectivity of {ThingName} not found ({ErrorCode}): no such thing, or fleet indexing has no connectivity for it")]
    public static partial void ConnectivityNotFound(ILogger logger, string thingName, string? errorCode);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug, Message = "{ThingName} has never connected with its thing name as client id: no connectivity data")]
    public static partial void ConnectivityNeverSeen(ILogger logger, string thingName);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "Fleet index page for '{QueryString}': {Count} things, more: {More}")]
    public static partial void IndexPage(ILogger logger, string queryString, int count, bool more);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Information, Message = "Fleet index sweep '{Query}': {Count} offline things handed to the engine")]
    public static partial void Swept(ILogger logger, string query, int count);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Fleet index sweep failed; the next one runs in {Interval}")]
    public static partial void SweepFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Debug, Message = "Confirmed {Count} due re-checks through the fleet index: {Found} found")]
    public static partial void ConnectivityReadInPages(ILogger logger, int count, int found);
}
