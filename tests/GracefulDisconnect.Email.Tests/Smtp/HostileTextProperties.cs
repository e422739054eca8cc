using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Email.Tests.Support;
using MimeKit;
using Xunit;

namespace GracefulDisconnect.Email.Tests.Smtp;

/// <summary>
/// Whatever text a template renders or a device is named (line breaks of every kind, header lines, lone dots that
/// would end DATA, encoded-word look-alikes, Japanese, emoji, 5,000-character runs), the message that arrives has
/// exactly our headers and recipients, the subject on one line, and the body as sent (line endings aside).
/// </summary>
public sealed class HostileTextProperties
{
    private static readonly string[] ExpectedHeaders =
    [
        "From", "Date", "Subject", "Message-Id", "To", "X-GracefulDisconnect-Id", "X-GracefulDisconnect-Kind",
        "X-GracefulDisconnect-Thing", "Auto-Submitted", "X-Auto-Response-Suppress", "MIME-Version",
    ];

    public sealed record HostileText(string Thing, string Subject, string Message)
    {
        public override string ToString() => $"Thing={Escape(Thing)} Subject={Escape(Subject)} Message={Escape(Message)}";

        private static string Escape(string text) => text.Length > 200 ? $"\"{text[..200]}...\" ({text.Length} chars)" : $"\"{text.ReplaceLineEndings("\\n")}\"";
    }

    public static class Arbitraries
    {
        private static readonly string[] Fragments =
        [
            "pump-7", " ", "  ", "\t", "\r", "\n", "\r\n", "\r\n\r\n", "\0", "\u0085", "\u2028", "\u2029", "\f", "\v",
            "\r\nBcc: attacker@evil.example", "\nX-GracefulDisconnect-Kind: digest\n", "\r\nContent-Type: text/html\r\n\r\n<b>x</b>",
            "\r\n.\r\n", ".", "..", "\n.\n", "\r\nQUIT\r\n", "\r\nRCPT TO:<attacker@evil.example>\r\n",
            "=?utf-8?B?QmNjOiBhQGIuYw==?=", "=?", "?=", "<", ">", "&", "\"", "'", ":", ";", ",", "@",
            "温室センサー-3 がオフラインです", "日本時間", "🚨", "👩‍💻", "e\u0301", "\u3000", "\u00a0", "Ω",
        ];

        private static readonly Gen<string> Piece = Gen.OneOf(
            Gen.Elements(Fragments),
            Gen.Choose(0x20, 0xD7FF).Select(c => ((char)c).ToString()),
            Gen.Choose(100, 5000).SelectMany(length => Gen.Elements('x', 'あ', ' ', '.').Select(c => new string(c, length))));

        private static readonly Gen<string> Text = Gen.ListOf(Piece).Select(pieces => string.Concat(pieces));

        private static readonly Gen<string> ShortText = Gen.Choose(0, 4).SelectMany(count => Gen.ArrayOf(Gen.Elements(Fragments), count)).Select(string.Concat);

        public static Arbitrary<HostileText> HostileTexts() => Arb.From(
            from thing in ShortText
            from subject in Text
            from message in Text
            select new HostileText(thing, subject, message));
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(Arbitraries)])]
    public async Task NotifyAsync_AnyText_NoHeaderOrRecipientInjectedAndTextArrivesIntact(HostileText input)
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await notifier.NotifyAsync(Notifications.Offline(input.Thing, input.Subject, input.Message));

        var mail = server.OnlyMessage();
        Assert.Equal(["ops@example.com"], mail.Recipients);
        var message = mail.Parse();
        Assert.Equal(ExpectedHeaders, message.Headers.Select(header => header.Field));
        Assert.Empty(message.Bcc);
        var body = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["Content-Type"], body.Headers.Select(header => header.Field));
        Assert.Equal(["text/plain", "text/html"], body.Select(part => part.ContentType.MimeType));

        var thing = OneLine(input.Thing);
        var subject = OneLine(input.Subject);
        Assert.Equal(subject.Length == 0 ? $"{thing}: notify" : subject, message.Subject);
        Assert.Equal(thing, message.Headers["X-GracefulDisconnect-Thing"]);
        Assert.Equal("notify", message.Headers["X-GracefulDisconnect-Kind"]);

        var text = input.Message.ReplaceLineEndings("\n");
        Assert.StartsWith(text + "\n\n-- \n", SendTests.Normalize(message.TextBody), StringComparison.Ordinal);
        var html = message.HtmlBody ?? string.Empty;
        Assert.All(text.Split('\n'), line => Assert.Contains(WebUtility.HtmlEncode(line), html, StringComparison.Ordinal));
    }

    // What a header may carry: the text on one line, as the notifier promises (an independent statement of the rule).
    private static string OneLine(string text)
        => new string([.. text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c)]).Trim();
}
