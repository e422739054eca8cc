using System.Globalization;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace GracefulDisconnect.Email;

/// <summary>
/// Turns what MailKit and the network throw into one <see cref="SmtpNotifierException"/> naming host:port, the stage
/// and the server's status and reply. Anything a server said goes through the <see cref="SecretRedactor"/> and is
/// made one line, so a hostile or careless server can neither leak the password nor write lines into a log.
/// </summary>
internal static class SmtpFailure
{
    private const int MaxReplyLength = 400;

    public static bool IsSendFailure(Exception exception) => exception
        is CommandException or ProtocolException or MailKit.Security.AuthenticationException or SslHandshakeException
        or ServiceNotConnectedException or ServiceNotAuthenticatedException or System.Security.Authentication.AuthenticationException
        or IOException or SocketException or TimeoutException or NotSupportedException or OperationCanceledException;

    /// <summary>The exception to throw, and what went wrong on its own (for the log line).</summary>
    public static (SmtpNotifierException Exception, string Problem) Create(Exception exception, SmtpNotifierOptions options, SmtpStage stage, string notificationId, SecretRedactor redactor)
    {
        var status = StatusOf(exception);
        var problem = Describe(exception, options, stage, status, redactor);
        var message = $"E-mail notification '{HeaderText.OneLine(notificationId)}' was not sent through SMTP server {SmtpEndpoint.Describe(options)}: {Describe(stage)} failed: {problem}";

        // The cause is kept for its stack and socket details, unless its text holds the secret a server echoed.
        var inner = redactor.Contains(exception.ToString()) ? null : exception;
        return (new SmtpNotifierException(message, inner, options.Host, options.Port, stage, status), problem);
    }

    private static string Describe(SmtpStage stage) => stage switch
    {
        SmtpStage.Connect => "connecting",
        SmtpStage.Authenticate => "authenticating",
        _ => "sending",
    };

    private static int? StatusOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SmtpCommandException command)
            {
                return (int)command.StatusCode;
            }
        }

        return exception switch
        {
            // MailKit reports a refused AUTH as an AuthenticationException whose text is the server's reply...
            MailKit.Security.AuthenticationException when LeadingCode(exception.Message) is { } code => code,

            // ...and a 530 to MAIL FROM (authentication required) as ServiceNotAuthenticatedException.
            ServiceNotAuthenticatedException => 530,
            _ => null,
        };
    }

    private static string Describe(Exception exception, SmtpNotifierOptions options, SmtpStage stage, int? status, SecretRedactor redactor)
    {
        var said = Reply(exception.Message, redactor);
        return exception switch
        {
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } command
                => $"recipient {Reply(command.Mailbox?.Address, redactor)} was refused: SMTP {status} {said}",
            SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } command
                => $"sender {Reply(command.Mailbox?.Address, redactor)} was refused: SMTP {status} {said}; check From (the server may only accept your account's address)",
            SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted }
                => $"the message was refused: SMTP {status} {said}",
            SmtpCommandException
                => $"SMTP {status} {said}",
            ServiceNotAuthenticatedException
                => $"the server requires authentication: SMTP {status} {said}; set UserName and Password",
            MailKit.Security.AuthenticationException
                => $"the server refused the credentials: {(status is null ? said : $"SMTP {status} {WithoutLeadingCode(said)}")}; check UserName and Password",
            SslHandshakeException
                => $"the TLS handshake failed ({FirstSentence(said)}); SslOnConnect needs a port that speaks TLS at once (usually 465), StartTls one that upgrades (587), and the server's certificate must be valid",
            TimeoutException or OperationCanceledException
                => $"no answer within {options.Timeout.ToString("c", CultureInfo.InvariantCulture)} (Timeout)",
            SocketException socket
                => $"{socket.SocketErrorCode}: {said}",
            NotSupportedException when said.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase)
                => $"{said} Use SslOnConnect on port 465, or Security None (with AllowUnencrypted unless the host is loopback) for a relay without TLS",
            NotSupportedException when stage == SmtpStage.Authenticate
                => $"{said} Remove UserName and Password for a relay that needs none; many servers offer AUTH only after STARTTLS, so check Security too",
            IOException { InnerException: SocketException socket }
                => $"the connection was lost ({socket.SocketErrorCode}): {said}",
            IOException
                => $"the connection was lost: {said}",
            _ => said,
        };
    }

    private static string Reply(string? text, SecretRedactor redactor)
    {
        var line = HeaderText.OneLine(redactor.Redact(text));
        while (line.Contains("  ", StringComparison.Ordinal))
        {
            line = line.Replace("  ", " ", StringComparison.Ordinal);
        }

        return line.Length <= MaxReplyLength ? line : string.Concat(line.AsSpan(0, MaxReplyLength), "...");
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text.TrimEnd('.') : text[..end];
    }

    // MailKit words a refused AUTH as "535: 5.7.8 ...".
    private static string WithoutLeadingCode(string reply)
        => LeadingCode(reply) is null ? reply : reply[3..].TrimStart(':', ' ');

    private static int? LeadingCode(string text)
        => text.Length >= 3 && int.TryParse(text.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and < 600 ? code : null;
}
