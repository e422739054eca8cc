using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>The worker's own log lines (event ids 5000-5099). No line carries a message body or credentials.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Consuming {QueueUrl}: up to {MaxMessages} messages per poll, long polling {WaitTime}")]
    public static partial void Started(ILogger logger, string queueUrl, int maxMessages, TimeSpan waitTime);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Polling the queue failed; trying again in {Delay}")]
    public static partial void PollFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "Polling the queue failed {Failures} times in a row ({Problem}); trying again in {Delay}")]
    public static partial void PollStillFailing(ILogger logger, int failures, TimeSpan delay, string problem);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "SQS message {MessageId} is malformed and is left for the dead-letter queue (receive count {ReceiveCount}): {Problem}")]
    public static partial void MalformedMessage(ILogger logger, string? messageId, string? receiveCount, string problem);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "SQS message {MessageId} could not be scheduled and will be delivered again")]
    public static partial void MessageFailed(ILogger logger, string? messageId, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "SQS message {MessageId} was scheduled but could not be deleted; when it comes back it is scheduled again, and the outage is still notified once")]
    public static partial void DeleteFailed(ILogger logger, string? messageId, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "SQS message {MessageId}: re-check of {ThingName} due at {DueAt:o}")]
    public static partial void Scheduled(ILogger logger, string? messageId, string thingName, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "SQS message {MessageId}: {ThingName} connected; nothing to schedule")]
    public static partial void ConnectIgnored(ILogger logger, string? messageId, string thingName);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Stopping: {Pending} pending re-checks go back to the queue, waiting for {Running} running ones")]
    public static partial void Stopping(ILogger logger, int pending, int running);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Handed {Sent} of {Owed} pending re-checks back to the queue")]
    public static partial void HandedBack(ILogger logger, int sent, int owed);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Error, Message = "The re-check of {ThingName} (offline since {DisconnectedAt:o}) could not be handed back to the queue and is lost")]
    public static partial void HandBackFailed(ILogger logger, string thingName, DateTimeOffset disconnectedAt, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "The shutdown timeout ran out while re-checks were still running")]
    public static partial void InFlightAbandoned(ILogger logger);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Health: Healthy. {Description}")]
    public static partial void Healthy(ILogger logger, string description);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Health: {Status}. {Description}")]
    public static partial void NotHealthy(ILogger logger, HealthStatus status, string description);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "The health report could not be written to {Path}")]
    public static partial void HealthFileFailed(ILogger logger, string path, Exception exception);
}
