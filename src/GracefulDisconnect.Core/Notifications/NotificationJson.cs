using System.Text.Json;

namespace GracefulDisconnect;

/// <summary>
/// The fields a notification has beyond the offline one, written the same way wherever notifications become JSON
/// (the tool's notify file, the signed webhook): <c>offlineFor</c>, <c>reminder</c>, <c>disconnects</c>, <c>things</c>.
/// </summary>
public static class NotificationJson
{
    /// <summary>Writes the fields that apply to the notification's kind into the open object.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="notification">The notification.</param>
    /// <param name="text">Cleans a text value before it is written (for example lone surrogates); none by default.</param>
    public static void WriteKindFields(Utf8JsonWriter writer, DeviceNotification notification, Func<string, string>? text = null)
    {
        if (notification.OfflineFor is { } offlineFor)
        {
            writer.WriteString("offlineFor", DurationText.Format(offlineFor));
        }

        if (notification.Kind == NotificationKind.Reminder)
        {
            writer.WriteNumber("reminder", notification.Reminder);
        }

        if (notification.Kind == NotificationKind.Flapping)
        {
            writer.WriteNumber("disconnects", notification.Disconnects);
        }

        if (notification.Kind == NotificationKind.Digest || notification.Things.Count > 0)
        {
            writer.WriteStartArray("things");
            foreach (var thing in notification.Things)
            {
                writer.WriteStringValue(text is null ? thing : text(thing));
            }

            writer.WriteEndArray();
        }
    }
}
