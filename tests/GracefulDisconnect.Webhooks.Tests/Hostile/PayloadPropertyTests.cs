using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Webhooks.Tests.Support;

namespace GracefulDisconnect.Webhooks.Tests.Hostile;

/// <summary>
/// Whatever a notification holds (markup, entities, Japanese, emoji, control characters, lone surrogates, huge texts,
/// long digests), every channel produces valid JSON inside its service's limits, and text comes back as it went in.
/// </summary>
public sealed partial class PayloadPropertyTests
{
    public static class Arbitraries
    {
        private static readonly string[] Pieces = ["<", ">", "&", "&amp;", "<!channel>", "温室", "センサー", "🌱", "\n", "\r\n", "\t", "\u0000", "\uD800", "\uDFFF", "a", "*_~`", " ", "\"", "\\", "€"];

        private static Gen<string> Text { get; } = Gen.Frequency(
            (4, Gen.ListOf(Gen.Elements(Pieces)).Select(pieces => string.Concat(pieces))),
            (2, ArbMap.Default.GeneratorFor<string>().Select(text => text ?? string.Empty)),
            (1, from piece in Gen.Elements(Pieces)
                from count in Gen.Choose(0, 6000)
                select string.Concat(Enumerable.Repeat(piece, count))));

        public static Arbitrary<DeviceNotification> Notifications() => Arb.From(
            from thing in Text
            from subject in Text
            from message in Text
            from outageId in Text
            from kind in Gen.Elements(Enum.GetValues<NotificationKind>())
            from offlineFor in Gen.Frequency((1, Gen.Constant<TimeSpan?>(null)), (2, Gen.Choose(0, 10_000_000).Select(seconds => (TimeSpan?)TimeSpan.FromSeconds(seconds))))
            from number in Gen.Choose(0, 1000)
            from thingCount in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 20)), (1, Gen.Choose(200, 2000)))
            from things in Gen.ListOf(Text).Select(list => list.Take(3).ToList())
            select new DeviceNotification(thing, Support.Notifications.OfflineSince, Support.Notifications.DecidedAt, TimeSpan.FromMinutes(5), outageId, subject, message)
            {
                Kind = kind,
                OfflineFor = offlineFor,
                Reminder = number,
                Disconnects = number,
                Things = [.. things, .. Enumerable.Range(0, thingCount).Select(i => $"sensor-{i}")],
            });
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Arbitraries)])]
    public void Slack_AnyNotification_IsValidJsonWithinBlockKitLimitsAndEscapedMrkdwn(DeviceNotification notification)
    {
        var body = JsonNode.Parse(SlackMessage.Build(notification, 20, out var truncated))!.AsObject();

        var fallback = (string)body["text"]!;
        Assert.InRange(fallback.Length, 1, SlackMessage.MaxSectionLength);
        AssertEscaped(fallback);
        var blocks = body["blocks"]!.AsArray();
        Assert.InRange(blocks.Count, 3, SlackMessage.MaxBlocks);
        var header = (string)blocks[0]!["text"]!["text"]!;
        Assert.InRange(header.Length, 1, SlackMessage.MaxHeaderLength);
        Assert.DoesNotContain(header, char.IsControl);
        foreach (var section in blocks.Where(block => (string?)block!["type"] == "section"))
        {
            var text = (string)section!["text"]!["text"]!;
            Assert.InRange(text.Length, 1, SlackMessage.MaxSectionLength);
            AssertEscaped(text);
        }

        var elements = blocks[^1]!["elements"]!.AsArray();
        Assert.InRange(elements.Count, 1, SlackMessage.MaxContextElements);
        Assert.All(elements, element => Assert.InRange(((string)element!["text"]!).Length, 1, SlackMessage.MaxContextElementLength));

        // Untouched text comes back whole once Slack's entities are undone.
        var message = (string)blocks[1]!["text"]!["text"]!;
        if (!truncated && notification.Message.Trim().Length > 0 && !HasLoneSurrogate(notification.Message))
        {
            Assert.Equal(notification.Message, message.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal));
        }
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Arbitraries)])]
    public void Teams_AnyNotification_IsValidJsonUnderTheSizeLimit(DeviceNotification notification)
    {
        var bytes = TeamsCard.Build(notification, 20, out var truncated);

        Assert.InRange(bytes.Length, 1, TeamsCard.MaxPayloadBytes);
        var card = JsonNode.Parse(bytes)!["attachments"]![0]!["content"]!;
        var body = card["body"]!.AsArray();
        var title = (string)body[0]!["text"]!;
        Assert.InRange(title.Length, 1, TeamsCard.MaxTitleLength);
        Assert.All(body[^1]!["facts"]!.AsArray(), fact => Assert.False(string.IsNullOrEmpty((string?)fact!["value"])));
        if (!truncated && notification.Message.Trim().Length > 0 && !HasLoneSurrogate(notification.Message))
        {
            Assert.Equal(notification.Message, (string?)body[1]!["text"]);
        }
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Arbitraries)])]
    public void Webhook_AnyNotification_RoundTripsEveryField(DeviceNotification notification)
    {
        var bytes = WebhookPayload.Build(notification);

        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        Assert.Equal(SafeText.Clean(notification.NotificationId), root.GetProperty("id").GetString());
        Assert.Equal(notification.Kind.ToReportName(), root.GetProperty("kind").GetString());
        Assert.Equal(SafeText.Clean(notification.ThingName), root.GetProperty("thing").GetString());
        Assert.Equal(SafeText.Clean(notification.Subject), root.GetProperty("subject").GetString());
        Assert.Equal(SafeText.Clean(notification.Message), root.GetProperty("message").GetString());
        Assert.Equal(SafeText.Clean(notification.OutageId), root.GetProperty("outageId").GetString());
        Assert.Equal("2026-01-01T00:10:00.000Z", root.GetProperty("offlineSince").GetString());
        Assert.Equal(notification.OfflineFor is not null, root.TryGetProperty("offlineFor", out _));
        Assert.Equal(notification.Kind == NotificationKind.Reminder, root.TryGetProperty("reminder", out _));
        Assert.Equal(notification.Kind == NotificationKind.Flapping, root.TryGetProperty("disconnects", out _));
        if (root.TryGetProperty("things", out var things))
        {
            Assert.Equal(notification.Things.Select(SafeText.Clean), things.EnumerateArray().Select(thing => thing.GetString()));
        }

        if (!HasLoneSurrogate(notification.Message))
        {
            Assert.Equal(notification.Message, root.GetProperty("message").GetString());
        }

        // The signature covers these exact bytes, and only them.
        var signature = WebhookSignature.Compute("0123456789abcdef", 1_767_226_500, bytes);
        Assert.Equal(WebhookSignatureResult.Valid, WebhookSignature.Verify("0123456789abcdef", "1767226500", signature, bytes, DateTimeOffset.FromUnixTimeSeconds(1_767_226_500)));
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void SafeText_TruncateAndEscape_NeverSplitAPairOrAnEntity(DeviceNotification notification)
    {
        foreach (var limit in new[] { 1, 2, 3, 7, 150, 3000 })
        {
            var cut = SafeText.Truncate(SafeText.Clean(notification.Message), limit);
            Assert.True(cut.Length <= limit || limit < 1);
            Assert.False(HasLoneSurrogate(cut));
            var escaped = SlackText.Escape(notification.Message, Math.Max(limit, 5), out _);
            Assert.InRange(escaped.Length, 0, Math.Max(limit, 5));
            AssertEscaped(escaped);
            Assert.False(HasLoneSurrogate(escaped));
        }
    }

    private static void AssertEscaped(string mrkdwn)
    {
        var withoutDates = DateToken().Replace(mrkdwn, string.Empty);
        Assert.DoesNotContain('<', withoutDates);
        Assert.DoesNotContain('>', withoutDates);
        Assert.Matches("^([^&]|&(amp|lt|gt);)*$", withoutDates);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"<!date\^\d+\^\{date_short_pretty\} \{time_secs\}\|[0-9: -]+ UTC>")]
    private static partial Regex DateToken();
}
