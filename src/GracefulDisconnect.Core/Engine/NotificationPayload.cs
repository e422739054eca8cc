using System.Text.Json;
using System.Text.Json.Serialization;

namespace GracefulDisconnect.Engine;

/// <summary>
/// How a notification is kept in the outbox: the whole <see cref="DeviceNotification"/> as rendered when it was
/// decided, so a delivery after a restart says exactly what the first attempt would have said.
/// </summary>
internal static class NotificationPayload
{
    public static string Write(DeviceNotification notification) => JsonSerializer.Serialize(notification, NotificationPayloadContext.Default.DeviceNotification);

    /// <exception cref="FormatException">The payload is not a notification.</exception>
    public static DeviceNotification Read(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, NotificationPayloadContext.Default.DeviceNotification)
                ?? throw new FormatException("the outbox holds an empty notification");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"the outbox holds a notification that is not readable: {exception.Message}", exception);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DeviceNotification))]
internal sealed partial class NotificationPayloadContext : JsonSerializerContext
{
}
