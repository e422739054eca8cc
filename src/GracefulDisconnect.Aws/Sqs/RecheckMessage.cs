using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>
/// The body of a re-check message this package puts on the queue:
/// <c>{"thing":"t1","disconnectedAt":"2026-01-01T00:00:00.000Z","version":3,"dueAt":"2026-01-01T00:40:00.000Z"}</c>.
/// Recognised by its <c>disconnectedAt</c> field; anything else on the queue is read as a raw connection event.
/// </summary>
internal static class RecheckMessage
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Serialize(in DisconnectTrigger trigger, DateTimeOffset dueAt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("thing", trigger.ThingName);
            writer.WriteString("disconnectedAt", Format(trigger.DisconnectedAt));
            if (trigger.Version is { } version)
            {
                writer.WriteNumber("version", version);
            }

            writer.WriteString("dueAt", Format(dueAt));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads our own message; false when <paramref name="root"/> is not one (no <c>disconnectedAt</c>).</summary>
    /// <exception cref="ConnectionEventFormatException">It is ours but malformed.</exception>
    public static bool TryRead(JsonElement root, out DisconnectTrigger trigger, out DateTimeOffset dueAt)
    {
        trigger = default;
        dueAt = default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("disconnectedAt", out var disconnectedAt))
        {
            return false;
        }

        var thing = root.TryGetProperty("thing", out var thingElement) && thingElement.ValueKind == JsonValueKind.String
            ? thingElement.GetString()!
            : throw new ConnectionEventFormatException("thing", "expected the thing name as a string");
        if (!ThingName.IsValid(thing, out var problem))
        {
            throw new ConnectionEventFormatException("thing", problem!);
        }

        long? version = null;
        if (root.TryGetProperty("version", out var versionElement) && versionElement.ValueKind != JsonValueKind.Null)
        {
            version = versionElement.ValueKind == JsonValueKind.Number && versionElement.TryGetInt64(out var value)
                ? value
                : throw new ConnectionEventFormatException("version", "expected an integer");
        }

        trigger = new DisconnectTrigger(thing, ReadTime(disconnectedAt, "disconnectedAt"), version);
        dueAt = root.TryGetProperty("dueAt", out var due) ? ReadTime(due, "dueAt") : throw new ConnectionEventFormatException("dueAt", "is required");
        return true;
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTime(JsonElement element, string field)
        => element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : throw new ConnectionEventFormatException(field, "expected an ISO-8601 timestamp string such as \"2026-01-01T00:00:00.000Z\"");
}
