using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Every log line of the webhook notifiers, source-generated with stable event ids (4000-4099). No line carries a
/// webhook URL, a secret, a header value or a body: channels are named by kind and configured name.
/// </summary>
internal static partial class WebhooksLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Sent {NotificationId} ({Kind}) of {ThingName} to {Channel} '{Name}': HTTP {Status}")]
    public static partial void Sent(ILogger logger, string notificationId, string kind, string thingName, string channel, string name, int status);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Channel} '{Name}': attempt {Attempt} failed with {Outcome}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string channel, string name, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "{Channel} '{Name}': {NotificationId} was cut to fit the service's limits")]
    public static partial void Truncated(ILogger logger, string channel, string name, string notificationId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "{Channel} '{Name}' refused {NotificationId}: HTTP {Status}")]
    public static partial void Refused(ILogger logger, string channel, string name, string notificationId, int status);
}
