using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// A notification as one JSON line: replay's line shape plus the message's stable <c>id</c>, which is
/// how the file notifier recognises what it already wrote after a crash.
/// </summary>
internal static class NotificationLine
{
    public static string Format(DeviceNotification notification)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", notification.NotificationId);
            writer.WriteString("thing", notification.ThingName);
            writer.WriteString("verdict", notification.Kind.ToReportName());
            writer.WriteString("offlineSince", Replay.Utf8Timestamp.Format(notification.OfflineSince));
            writer.WriteString("decidedAt", Replay.Utf8Timestamp.Format(notification.DecidedAt));
            writer.WriteString("grace", DurationText.Format(notification.GracePeriod));
            NotificationJson.WriteKindFields(writer, notification);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The <c>id</c> of a line written by <see cref="Format"/>, or <see langword="null"/> for anything else (a torn last line).</summary>
    public static string? TryReadId(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

}
