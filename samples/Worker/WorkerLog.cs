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

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "SQS message {MessageId} could not be recorded and will be delivered again")]
    public static partial void MessageFailed(ILogger logger, string? messageId, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "SQS message {MessageId} was recorded but could not be deleted; when it comes back it is recorded again as the same event, and the outage is still notified once")]
    public static partial void DeleteFailed(ILogger logger, string? messageId, Exception exception);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Health: Healthy. {Description}")]
    public static partial void Healthy(ILogger logger, string description);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Health: {Status}. {Description}")]
    public static partial void NotHealthy(ILogger logger, HealthStatus status, string description);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "The health report could not be written to {Path}")]
    public static partial void HealthFileFailed(ILogger logger, string path, Exception exception);
}
