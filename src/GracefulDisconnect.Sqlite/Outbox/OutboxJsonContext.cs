using System.Text.Json.Serialization;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// How a notification is kept in the outbox: the whole <see cref="DeviceNotification"/> as rendered when
/// the re-check decided, so a re-send after a restart says exactly what the first attempt would have said.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DeviceNotification))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext
{
}
