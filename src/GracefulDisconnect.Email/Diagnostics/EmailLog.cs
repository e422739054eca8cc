using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Email;

/// <summary>Every log line of the e-mail notifier, source-generated with stable event ids (4100-4199). No line carries the password or a message body.</summary>
internal static partial class EmailLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Connecting to SMTP server {Endpoint} ({Security}) to send {NotificationId}")]
    public static partial void Connecting(ILogger logger, string endpoint, SmtpSecurity security, string notificationId);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "E-mailed {Kind} notification {NotificationId} of {ThingName} to {RecipientCount} recipient(s) through {Endpoint} as Message-ID {MessageId}")]
    public static partial void Sent(ILogger logger, NotificationKind kind, string notificationId, string thingName, int recipientCount, string endpoint, string messageId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "E-mail {NotificationId} was not sent through {Endpoint}: {Stage} failed: {Problem}")]
    public static partial void SendFailed(ILogger logger, string notificationId, string endpoint, SmtpStage stage, string problem);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Closing the connection to {Endpoint} failed after the server accepted the message; the message is sent: {Problem}")]
    public static partial void QuitFailed(ILogger logger, string endpoint, string problem);
}
