using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// The Block Kit payload of an incoming webhook: <c>text</c> (the notification fallback), a header with the subject,
/// a section with the message, for a digest a section listing its devices, and a context line of facts. Every text
/// stays inside Slack's limits (header 150, section 3000, at most 10 context elements and 50 blocks).
/// </summary>
internal static class SlackMessage
{
    public const int MaxHeaderLength = 150;
    public const int MaxSectionLength = 3000;
    public const int MaxContextElementLength = 3000;
    public const int MaxBlocks = 50;
    public const int MaxContextElements = 10;

    // Names and ids in the context line: long enough for any AWS thing name (128) and outage id.
    private const int MaxFactLength = 300;

    public static byte[] Build(DeviceNotification notification, int maxListedThings, out bool truncated)
    {
        var cut = false;
        var subject = SafeText.Clean(notification.Subject);
        var header = SafeText.OneLine(subject).Trim();
        if (header.Length == 0)
        {
            header = $"{SafeText.OneLine(SafeText.Clean(notification.ThingName))}: {notification.Kind.ToReportName()}";
        }

        cut |= header.Length > MaxHeaderLength;
        header = SafeText.Truncate(header, MaxHeaderLength);

        var fallback = SlackText.Escape(subject.Length > 0 ? subject : header, MaxSectionLength, out var fallbackCut);
        var message = SlackText.Escape(notification.Message, MaxSectionLength, out var messageCut);
        if (message.Trim().Length == 0)
        {
            message = SlackText.Escape(header, MaxSectionLength, out _);
        }

        cut |= fallbackCut | messageCut;
        var digest = notification.Kind == NotificationKind.Digest || notification.Things.Count > 0
            ? DigestList(notification.Things, maxListedThings)
            : null;
        var facts = Facts(notification);

        truncated = cut;
        return JsonPayload.Write((fallback, header, message, digest, facts), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("text", state.fallback);
            writer.WriteStartArray("blocks");

            writer.WriteStartObject();
            writer.WriteString("type", "header");
            PlainText(writer, state.header);
            writer.WriteEndObject();

            Section(writer, state.message);
            if (state.digest is not null)
            {
                Section(writer, state.digest);
            }

            writer.WriteStartObject();
            writer.WriteString("type", "context");
            writer.WriteStartArray("elements");
            foreach (var fact in state.facts)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "mrkdwn");
                writer.WriteString("text", fact);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The devices of a digest as a bulleted list, as many as fit (at most <paramref name="maxListed"/>), then "and N more".</summary>
    internal static string DigestList(IReadOnlyList<string> things, int maxListed)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"*{things.Count} {(things.Count == 1 ? "device" : "devices")}:*");
        var listed = 0;
        foreach (var thing in things)
        {
            var line = "\n• " + SlackText.Code(thing, MaxFactLength);
            var more = MoreLine(things.Count - listed - 1);

            // Room for this line and for the "and N more" that may still have to follow it.
            if (listed == maxListed || builder.Length + line.Length + more.Length > MaxSectionLength)
            {
                break;
            }

            builder.Append(line);
            listed++;
        }

        builder.Append(MoreLine(things.Count - listed));
        return builder.ToString();
    }

    private static string MoreLine(int more) => more > 0 ? string.Create(CultureInfo.InvariantCulture, $"\n…and {more} more") : string.Empty;

    private static List<string> Facts(DeviceNotification notification)
    {
        var facts = new List<string>(MaxContextElements)
        {
            $"*{(notification.Kind == NotificationKind.Digest ? "Group" : "Thing")}:* {SlackText.Code(notification.ThingName, MaxFactLength)}",
            $"*Kind:* {notification.Kind.ToReportName()}",
            $"*{(notification.Kind == NotificationKind.Digest ? "First offline" : "Offline since")}:* {Date(notification.OfflineSince)}",
        };
        if (notification.OfflineFor is { } offlineFor)
        {
            facts.Add($"*{(notification.Kind == NotificationKind.Recovered ? "Was offline for" : "Offline for")}:* {DurationText.Describe(offlineFor)}");
        }

        if (notification.Kind == NotificationKind.Reminder)
        {
            facts.Add(string.Create(CultureInfo.InvariantCulture, $"*Reminder:* #{notification.Reminder}"));
        }

        if (notification.Kind == NotificationKind.Flapping)
        {
            facts.Add(string.Create(CultureInfo.InvariantCulture, $"*Disconnects:* {notification.Disconnects}"));
        }

        facts.Add($"*Outage:* {SlackText.Code(notification.OutageId, MaxFactLength)}");
        return facts;
    }

    // Slack shows the date in each reader's own time zone; the fallback is what clients that cannot do that show.
    private static string Date(DateTimeOffset value)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"<!date^{value.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time_secs}}|{value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC>");

    private static void Section(Utf8JsonWriter writer, string mrkdwn)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "section");
        writer.WriteStartObject("text");
        writer.WriteString("type", "mrkdwn");
        writer.WriteString("text", mrkdwn);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void PlainText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject("text");
        writer.WriteString("type", "plain_text");
        writer.WriteString("text", text);
        writer.WriteBoolean("emoji", true);
        writer.WriteEndObject();
    }
}
