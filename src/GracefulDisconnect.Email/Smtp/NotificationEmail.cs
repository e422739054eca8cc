using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace GracefulDisconnect.Email;

/// <summary>
/// Turns a <see cref="DeviceNotification"/> into a MIME message: the rendered subject (with the configured prefix),
/// a text/plain body (the rendered message and a footer of facts) and a text/html alternative, all UTF-8. The same
/// notification always gives the same <c>Message-ID</c> and <c>Date</c>, so a send that is retried after an unclear
/// failure (the connection dropped after the data went out) can be recognised as a duplicate downstream.
/// </summary>
internal sealed class NotificationEmail
{
    public const string IdHeader = "X-GracefulDisconnect-Id";
    public const string KindHeader = "X-GracefulDisconnect-Kind";
    public const string ThingHeader = "X-GracefulDisconnect-Thing";

    private readonly MailboxAddress _from;
    private readonly MailboxAddress[] _to;
    private readonly MailboxAddress[] _cc;
    private readonly string _subjectPrefix;
    private readonly string _messageIdDomain;

    public NotificationEmail(SmtpNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _from = EmailAddress.Parse(options.From);
        _to = [.. options.To.Select(EmailAddress.Parse)];
        _cc = [.. options.Cc.Select(EmailAddress.Parse)];
        _subjectPrefix = HeaderText.OneLine(options.SubjectPrefix);
        _messageIdDomain = options.MessageIdDomain;
    }

    public int RecipientCount => _to.Length + _cc.Length;

    public MimeMessage Create(DeviceNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.AddRange(_to);
        message.Cc.AddRange(_cc);
        message.Subject = Subject(notification);
        if (HeaderText.LooksEncoded(message.Subject))
        {
            message.Headers.Replace(Unstructured(HeaderId.Subject.ToHeaderName(), message.Subject));
        }

        message.Date = notification.DecidedAt;
        message.MessageId = MessageId(notification.NotificationId);
        message.Headers.Add(Unstructured(IdHeader, HeaderText.OneLine(notification.NotificationId)));
        message.Headers.Add(KindHeader, notification.Kind.ToReportName());
        message.Headers.Add(Unstructured(ThingHeader, HeaderText.OneLine(notification.ThingName)));

        // RFC 3834: out-of-office and other automatic replies should not answer an alert; Exchange reads the second.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");

        var facts = Facts(notification);
        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText(Encoding.UTF8, PlainText(notification, facts));
        var html = new TextPart(MimeKit.Text.TextFormat.Html);
        html.SetText(Encoding.UTF8, Html(notification, message.Subject, facts));
        message.Body = new MultipartAlternative { text, html };
        return message;
    }

    /// <summary>The subject: prefix and rendered subject on one line; the thing and kind when the template rendered nothing.</summary>
    public string Subject(DeviceNotification notification)
    {
        var subject = HeaderText.OneLine(notification.Subject);
        if (subject.Length == 0)
        {
            subject = $"{HeaderText.OneLine(notification.ThingName)}: {notification.Kind.ToReportName()}";
        }

        return _subjectPrefix.Length == 0 ? subject : $"{_subjectPrefix} {subject}";
    }

    private static Header Unstructured(string field, string value)
    {
        var header = new Header(Encoding.UTF8, field, value);
        if (HeaderText.LooksEncoded(value))
        {
            header.SetRawValue(HeaderText.EncodedWords(value));
        }

        return header;
    }

    /// <summary>The Message-ID without angle brackets: a SHA-256 of the notification id, so every retry of one notification carries the same.</summary>
    public string MessageId(string notificationId)
        => $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(notificationId)))}@{_messageIdDomain}";

    /// <summary>The rendered message with line breaks made uniform (MIME writes them as CRLF).</summary>
    public static string Body(string message) => message.ReplaceLineEndings("\n");

    private static List<(string Name, string Value)> Facts(DeviceNotification notification)
    {
        var facts = new List<(string, string)>
        {
            (notification.Kind == NotificationKind.Digest ? "Group" : "Thing", HeaderText.OneLine(notification.ThingName)),
            ("Kind", notification.Kind.ToReportName()),
            ("Offline since", Utc(notification.OfflineSince)),
        };
        if (notification.OfflineFor is { } offlineFor)
        {
            facts.Add(("Offline for", Duration(offlineFor)));
        }

        if (notification.Kind == NotificationKind.Reminder)
        {
            facts.Add(("Reminder", notification.Reminder.ToString(CultureInfo.InvariantCulture)));
        }

        if (notification.Kind == NotificationKind.Flapping)
        {
            facts.Add(("Disconnects", notification.Disconnects.ToString(CultureInfo.InvariantCulture)));
        }

        facts.Add(("Grace period", Duration(notification.GracePeriod)));
        facts.Add(("Decided at", Utc(notification.DecidedAt)));
        facts.Add(("Outage id", HeaderText.OneLine(notification.OutageId)));
        facts.Add(("Notification id", HeaderText.OneLine(notification.NotificationId)));
        return facts;
    }

    private static string PlainText(DeviceNotification notification, List<(string Name, string Value)> facts)
    {
        var builder = new StringBuilder(Body(notification.Message));
        // "-- " on a line of its own is the signature separator: mail clients show what follows as a footer.
        builder.Append("\n\n-- \n");
        foreach (var (name, value) in facts)
        {
            builder.Append(name).Append(": ").Append(value).Append('\n');
        }

        if (notification.Things.Count > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"Things ({notification.Things.Count}):\n");
            foreach (var thing in notification.Things)
            {
                builder.Append("- ").Append(HeaderText.OneLine(thing)).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string Html(DeviceNotification notification, string subject, List<(string Name, string Value)> facts)
    {
        var builder = new StringBuilder("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(subject))
            .Append("</title>\n</head>\n<body>\n<p>");
        var lines = Body(notification.Message).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : "<br>\n").Append(WebUtility.HtmlEncode(lines[i]));
        }

        builder.Append("</p>\n<hr>\n<table>\n");
        foreach (var (name, value) in facts)
        {
            builder.Append("<tr><th align=\"left\">").Append(WebUtility.HtmlEncode(name)).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>\n");
        }

        builder.Append("</table>\n");
        if (notification.Things.Count > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"<p>Things ({notification.Things.Count}):</p>\n<ul>\n");
            foreach (var thing in notification.Things)
            {
                builder.Append("<li>").Append(WebUtility.HtmlEncode(HeaderText.OneLine(thing))).Append("</li>\n");
            }

            builder.Append("</ul>\n");
        }

        return builder.Append("</body>\n</html>\n").ToString();
    }

    private static string Utc(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
