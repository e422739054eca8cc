using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// The message a Teams workflow webhook expects: one Adaptive Card (1.4) attachment with the subject as title, the
/// message, for a digest its devices, and a fact set. The whole body stays under <see cref="MaxPayloadBytes"/>, below
/// Teams' limit of about 28 KB per message, however much of the text is multi-byte.
/// </summary>
internal static class TeamsCard
{
    public const int MaxPayloadBytes = 24_000;
    public const int MaxTitleLength = 500;
    public const int MaxMessageLength = 10_000;
    public const int MaxFactLength = 500;

    public static byte[] Build(DeviceNotification notification, int maxListedThings, out bool truncated)
    {
        var title = SafeText.OneLine(SafeText.Clean(notification.Subject)).Trim();
        if (title.Length == 0)
        {
            title = $"{SafeText.OneLine(SafeText.Clean(notification.ThingName))}: {notification.Kind.ToReportName()}";
        }

        var fullMessage = SafeText.Clean(notification.Message);
        var digest = notification.Kind == NotificationKind.Digest || notification.Things.Count > 0
            ? DigestText(notification.Things, maxListedThings)
            : null;
        var facts = Facts(notification);
        truncated = title.Length > MaxTitleLength || fullMessage.Length > MaxMessageLength;
        title = SafeText.Truncate(title, MaxTitleLength);

        for (var messageLength = MaxMessageLength; ; messageLength /= 2)
        {
            var message = SafeText.Truncate(fullMessage, messageLength);
            var body = Write(title, message.Trim().Length == 0 ? title : message, digest, facts);
            if (body.Length <= MaxPayloadBytes || messageLength < 64)
            {
                truncated |= message.Length < fullMessage.Length;
                return body;
            }
        }
    }

    internal static string DigestText(IReadOnlyList<string> things, int maxListed)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{things.Count} {(things.Count == 1 ? "device" : "devices")}: ");
        var listed = 0;
        foreach (var thing in things)
        {
            if (listed == maxListed)
            {
                break;
            }

            if (listed > 0)
            {
                builder.Append(", ");
            }

            builder.Append(Fact(thing, 200));
            listed++;
        }

        if (things.Count > listed)
        {
            builder.Append(CultureInfo.InvariantCulture, $" and {things.Count - listed} more");
        }

        return builder.ToString();
    }

    private static List<(string Title, string Value)> Facts(DeviceNotification notification)
    {
        var digest = notification.Kind == NotificationKind.Digest;
        var facts = new List<(string, string)>
        {
            (digest ? "Group" : "Thing", Fact(notification.ThingName, MaxFactLength)),
            ("Kind", notification.Kind.ToReportName()),
            (digest ? "First offline" : "Offline since", Date(notification.OfflineSince)),
        };
        if (notification.OfflineFor is { } offlineFor)
        {
            facts.Add((notification.Kind == NotificationKind.Recovered ? "Was offline for" : "Offline for", DurationText.Describe(offlineFor)));
        }

        if (notification.Kind == NotificationKind.Reminder)
        {
            facts.Add(("Reminder", string.Create(CultureInfo.InvariantCulture, $"#{notification.Reminder}")));
        }

        if (notification.Kind == NotificationKind.Flapping)
        {
            facts.Add(("Disconnects", notification.Disconnects.ToString(CultureInfo.InvariantCulture)));
        }

        facts.Add(("Outage", Fact(notification.OutageId, MaxFactLength)));
        return facts;
    }

    private static string Fact(string value, int maxLength)
    {
        var text = SafeText.OneLine(SafeText.Clean(value));
        return text.Length == 0 ? "(none)" : SafeText.Truncate(text, maxLength);
    }

    private static string Date(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static byte[] Write(string title, string message, string? digest, List<(string Title, string Value)> facts)
        => JsonPayload.Write((title, message, digest, facts), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message");
            writer.WriteStartArray("attachments");
            writer.WriteStartObject();
            writer.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
            writer.WriteNull("contentUrl");
            writer.WriteStartObject("content");
            writer.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            writer.WriteString("type", "AdaptiveCard");
            writer.WriteString("version", "1.4");
            writer.WriteStartArray("body");

            writer.WriteStartObject();
            writer.WriteString("type", "TextBlock");
            writer.WriteString("text", state.title);
            writer.WriteString("weight", "Bolder");
            writer.WriteString("size", "Medium");
            writer.WriteBoolean("wrap", true);
            writer.WriteEndObject();

            TextBlock(writer, state.message);
            if (state.digest is not null)
            {
                TextBlock(writer, state.digest);
            }

            writer.WriteStartObject();
            writer.WriteString("type", "FactSet");
            writer.WriteStartArray("facts");
            foreach (var (title, value) in state.facts)
            {
                writer.WriteStartObject();
                writer.WriteString("title", title);
                writer.WriteString("value", value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static void TextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "TextBlock");
        writer.WriteString("text", text);
        writer.WriteBoolean("wrap", true);
        writer.WriteEndObject();
    }
}
