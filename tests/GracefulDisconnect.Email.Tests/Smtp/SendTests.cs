using GracefulDisconnect.Email.Tests.Support;
using MimeKit;
using Xunit;

namespace GracefulDisconnect.Email.Tests.Smtp;

public sealed class SendTests
{
    [Fact]
    public async Task NotifyAsync_Offline_SendsEnvelopeHeadersAndBothBodies()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options =>
        {
            options.To.Add("Second Ops <ops2@example.com>");
            options.Cc.Add("lead@example.com");
            options.SubjectPrefix = "[fleet]";
        });

        await notifier.NotifyAsync(Notifications.Offline());

        var mail = server.OnlyMessage();
        Assert.Equal("alerts@example.com", mail.MailFrom);
        Assert.Equal(["ops@example.com", "ops2@example.com", "lead@example.com"], mail.Recipients);
        var message = mail.Parse();
        Assert.Equal("[fleet] pump-7 is offline", message.Subject);
        Assert.Equal("Fleet alerts", Assert.IsType<MailboxAddress>(Assert.Single(message.From)).Name);
        Assert.Equal(["ops@example.com", "ops2@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["lead@example.com"], message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Empty(message.Bcc);
        Assert.Equal(Notifications.Since + Notifications.Grace, message.Date);
        Assert.Equal("pump-7@1767225600", message.Headers["X-GracefulDisconnect-Id"]);
        Assert.Equal("notify", message.Headers["X-GracefulDisconnect-Kind"]);
        Assert.Equal("pump-7", message.Headers["X-GracefulDisconnect-Thing"]);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Matches("^[0-9a-f]{64}@gracefuldisconnect$", message.MessageId);
        Assert.IsType<MultipartAlternative>(message.Body);

        var text = Normalize(message.TextBody);
        Assert.StartsWith("pump-7 has been offline since 2026-01-01 00:00:00 +00:00 (for 5m; grace period 5m).\n\n-- \n", text, StringComparison.Ordinal);
        Assert.Contains("Thing: pump-7\n", text, StringComparison.Ordinal);
        Assert.Contains("Kind: notify\n", text, StringComparison.Ordinal);
        Assert.Contains("Offline since: 2026-01-01T00:00:00.000Z\n", text, StringComparison.Ordinal);
        Assert.Contains("Grace period: 00:05:00\n", text, StringComparison.Ordinal);
        Assert.Contains("Outage id: pump-7@1767225600\n", text, StringComparison.Ordinal);
        Assert.Contains("<th align=\"left\">Outage id</th><td>pump-7@1767225600</td>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("C: QUIT", server.Transcript);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NotifyAsync_JapaneseSubjectAndBody_SurviveWithAndWithoutSmtpUtf8(bool modernServer)
    {
        await using var server = new LoopbackSmtpServer(new SmtpServerOptions { SmtpUtf8 = modernServer, EightBitMime = modernServer });
        using var notifier = EmailTestHost.Notifier(server, options => options.SubjectPrefix = "【監視】");
        var subject = "温室センサー-3 がオフラインです";
        var body = "温室センサー-3 は 2026年1月1日 09:00 (日本時間) からオフラインです。\n猶予期間: 5分";

        await notifier.NotifyAsync(Notifications.Offline("温室センサー-3", subject, body));

        var mail = server.OnlyMessage();
        var message = mail.Parse();
        Assert.Equal("【監視】 " + subject, message.Subject);
        Assert.StartsWith(body + "\n", Normalize(message.TextBody), StringComparison.Ordinal);
        Assert.Contains("温室センサー-3", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("温室センサー-3", message.Headers["X-GracefulDisconnect-Thing"]);
        // Headers travel as RFC 2047 encoded words: ASCII on the wire, whatever the server offers.
        Assert.All(mail.RawHeaders, c => Assert.True(c < 128, $"non-ASCII '{c}' in the headers"));
        Assert.Contains("=?utf-8?", mail.RawHeaders, StringComparison.OrdinalIgnoreCase);
        if (!modernServer)
        {
            Assert.All(mail.RawText, c => Assert.True(c < 128, "8-bit data sent to a server without 8BITMIME"));
        }
    }

    [Fact]
    public async Task NotifyAsync_SameNotificationTwice_SameMessageIdAndDate()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await notifier.NotifyAsync(Notifications.Offline());
        await notifier.NotifyAsync(Notifications.Offline());

        var (first, second) = (server.Received[0].Parse(), server.Received[1].Parse());
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(first.Date, second.Date);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("pump-7@1767225600"u8)) + "@gracefuldisconnect",
            first.MessageId);
    }

    [Fact]
    public async Task NotifyAsync_EveryKind_HasItsOwnMessageId()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.MessageIdDomain = "prod.example.com");

        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            await notifier.NotifyAsync(Notifications.Of(kind));
        }

        var ids = server.Received.Select(mail => mail.Parse().MessageId).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        Assert.All(ids, id => Assert.EndsWith("@prod.example.com", id, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(NotificationKind.Offline, "notify", "pump-7 is offline", "Thing: pump-7\n")]
    [InlineData(NotificationKind.Recovered, "recovered", "pump-7 is back online", "Offline for: 02:05:00\n")]
    [InlineData(NotificationKind.Reminder, "reminder", "pump-7 is still offline", "Reminder: 2\n")]
    [InlineData(NotificationKind.Flapping, "flapping", "pump-7 is flapping", "Disconnects: 6\n")]
    [InlineData(NotificationKind.Digest, "digest", "3 devices are offline", "Things (3):\n- pump-7\n- valve-12\n- センサー-3\n")]
    public async Task NotifyAsync_EachKind_RendersSubjectKindAndItsFacts(NotificationKind kind, string reportName, string subject, string fact)
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        var notification = Notifications.Of(kind);

        await notifier.NotifyAsync(notification);

        var message = server.OnlyMessage().Parse();
        Assert.Equal(subject, message.Subject);
        Assert.Equal(reportName, message.Headers["X-GracefulDisconnect-Kind"]);
        Assert.Equal(notification.NotificationId, message.Headers["X-GracefulDisconnect-Id"]);
        var text = Normalize(message.TextBody);
        Assert.StartsWith(notification.Message + "\n\n-- \n", text, StringComparison.Ordinal);
        Assert.Contains($"Kind: {reportName}\n", text, StringComparison.Ordinal);
        Assert.Contains(fact, text, StringComparison.Ordinal);
        Assert.Contains($"Notification id: {notification.NotificationId}\n", text, StringComparison.Ordinal);
        if (kind == NotificationKind.Digest)
        {
            Assert.Contains("Group: *\n", text, StringComparison.Ordinal);
            Assert.Contains("<li>valve-12</li>", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("<li>センサー-3</li>", message.HtmlBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NotifyAsync_MarkupInTheMessage_IsEncodedInTheHtmlPart()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await notifier.NotifyAsync(Notifications.Offline("a<b>&c", "<b>x</b> is offline", "line 1 <script>alert(1)</script>\nline 2 & \"more\""));

        var message = server.OnlyMessage().Parse();
        Assert.Contains("line 1 &lt;script&gt;alert(1)&lt;/script&gt;<br>\nline 2 &amp; &quot;more&quot;", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;b&gt;x&lt;/b&gt; is offline</title>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<td>a&lt;b&gt;&amp;c</td>", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("line 1 <script>alert(1)</script>\nline 2 & \"more\"\n", Normalize(message.TextBody), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_SubjectWithLineBreaksAndAHeader_StaysOneSubjectAndNoExtraRecipient()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await notifier.NotifyAsync(Notifications.Offline(subject: "pump-7 is offline\r\nBcc: attacker@evil.example\r\n\r\nbody?", message: "x\r\n.\r\nRCPT TO:<attacker@evil.example>\r\n"));

        var mail = server.OnlyMessage();
        var message = mail.Parse();
        Assert.Equal(["ops@example.com"], mail.Recipients);
        Assert.Empty(message.Bcc);
        Assert.Equal("pump-7 is offline  Bcc: attacker@evil.example    body?", message.Subject);
        Assert.DoesNotContain(message.Headers, header => header.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("x\n.\nRCPT TO:<attacker@evil.example>\n", Normalize(message.TextBody), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_EncodedWordLookalikes_ArriveAsWrittenNotDecoded()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        const string Lookalike = "=?utf-8?B?QmNjOiBhQGIuYw==?=";

        await notifier.NotifyAsync(Notifications.Offline($"dev {Lookalike}", $"subject {Lookalike} 温室 " + new string('x', 200)));

        var message = server.OnlyMessage().Parse();
        Assert.Equal($"subject {Lookalike} 温室 " + new string('x', 200), message.Subject);
        Assert.Equal($"dev {Lookalike}", message.Headers["X-GracefulDisconnect-Thing"]);
        Assert.Equal($"dev {Lookalike}@1767225600", message.Headers["X-GracefulDisconnect-Id"]);
    }

    [Fact]
    public async Task NotifyAsync_EmptyRenderedSubject_FallsBackToThingAndKind()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await notifier.NotifyAsync(Notifications.Offline(subject: " \r\n "));

        Assert.Equal("pump-7: notify", server.OnlyMessage().Parse().Subject);
    }

    [Fact]
    public async Task NotifyAsync_ManyAtOnce_OneConnectionAtATimeAndAllDelivered()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => notifier.NotifyAsync(Notifications.Offline($"pump-{i}")).AsTask()));

        Assert.Equal(8, server.Received.Count);
        Assert.Equal(8, server.Sessions);
        Assert.Equal(1, server.MaxConcurrentSessions);
    }

    [Fact]
    public async Task NotifyAsync_Sent_LogsConnectingAndSentWithTheMessageIdButNoBody()
    {
        await using var server = new LoopbackSmtpServer();
        var logs = new CapturingLoggerProvider();
        using var notifier = EmailTestHost.Notifier(server, logs: logs);

        await notifier.NotifyAsync(Notifications.Offline(message: "BODY-MARKER"));

        var messageId = server.OnlyMessage().Parse().MessageId!;
        Assert.Equal([4100, 4101], logs.Entries.Where(entry => entry.EventId is >= 4100 and < 4200).Select(entry => entry.EventId));
        var sent = Assert.Single(logs.Entries, entry => entry.EventId == 4101);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, sent.Level);
        Assert.Contains(messageId, sent.Text, StringComparison.Ordinal);
        Assert.Contains($"through 127.0.0.1:{server.Port}", sent.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("BODY-MARKER", logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_AutoSecurityTowardsLoopbackWithoutStartTls_SendsInPlainText()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.Security = SmtpSecurity.Auto);

        await notifier.NotifyAsync(Notifications.Offline());

        Assert.Single(server.Received);
    }

    [Fact]
    public async Task NotifyAsync_CancelledBeforeSending_ThrowsOperationCanceledAndSendsNothing()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notifier.NotifyAsync(Notifications.Offline(), cancelled.Token).AsTask());

        Assert.Empty(server.Received);
    }

    internal static string Normalize(string? text) => (text ?? string.Empty).ReplaceLineEndings("\n");
}
