using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Reads a <c>GetThingConnectivityData</c> answer: <c>connected</c> (boolean) and <c>timestamp</c> (epoch
/// seconds, with a fraction: the model's <c>Timestamp</c> type in rest-json), when the broker saw the last
/// connect or disconnect. Kept to milliseconds, the resolution of the lifecycle events and the fleet index.
/// </summary>
internal static class ConnectivityData
{
    private const string Operation = "GetThingConnectivityData";
    private const double MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z

    /// <summary>The state, or null when the broker has never seen the thing connect (no timestamp).</summary>
    public static (ConnectionSnapshot? Snapshot, string? DisconnectReason) Read(ReadOnlyMemory<byte> utf8Json, string thingName)
    {
        var resource = $"thing '{thingName}'";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new AwsResponseFormatException(Operation, resource, "$", "is not valid JSON", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AwsResponseFormatException(Operation, resource, "$", "is not a JSON object");
            }

            var reason = root.TryGetProperty("disconnectReason", out var reasonValue) && reasonValue.ValueKind == JsonValueKind.String ? reasonValue.GetString() : null;
            if (!root.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind == JsonValueKind.Null)
            {
                return (null, reason);
            }

            var connected = root.TryGetProperty("connected", out var connectedValue) ? connectedValue.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new AwsResponseFormatException(Operation, resource, "connected", $"is a JSON {connectedValue.ValueKind.ToString().ToLowerInvariant()}; expected true or false"),
            }
            : throw new AwsResponseFormatException(Operation, resource, "connected", "is missing");

            if (timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetDouble(out var seconds) || !(seconds >= 0 && seconds <= MaxSeconds))
            {
                throw new AwsResponseFormatException(Operation, resource, "timestamp", "is not a number of seconds since 1970-01-01");
            }

            return (new ConnectionSnapshot(connected, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero))), reason);
        }
    }
}
