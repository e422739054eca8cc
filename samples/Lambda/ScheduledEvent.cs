using System.Text.Json;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// The EventBridge scheduled event (template: <c>Events: Sweep: Type: Schedule</c>) that invokes the function for a
/// sweep: <c>{"source":"aws.events","detail-type":"Scheduled Event",...}</c>. Only those two fields are read.
/// </summary>
internal static class ScheduledEvent
{
    public static bool Is(JsonElement input)
        => input.ValueKind == JsonValueKind.Object
            && input.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String && source.ValueEquals("aws.events")
            && input.TryGetProperty("detail-type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("Scheduled Event");
}
