using System.Buffers;
using System.Text.Json;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// AWS IoT Core presence events: the topic says connected or disconnected, and the JSON lifecycle event carries the
/// broker's own <c>timestamp</c> (epoch ms) and <c>versionNumber</c>, which the engine orders by.
/// </summary>
internal sealed class AwsPresenceRule(bool connected)
    : AvailabilityRule(
        "aws-presence",
        TopicPattern.Parse(connected ? "$aws/events/presence/connected/{thing}" : "$aws/events/presence/disconnected/{thing}"))
{
    private readonly string _eventType = connected ? "connected" : "disconnected";

    public override PayloadReading Read(ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        JsonDocument document;
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                return PayloadReading.Unknown;
            }

            document = parsed;
        }
        catch (JsonException)
        {
            return PayloadReading.Unknown;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PayloadReading.Unknown;
            }

            // The topic and the payload must agree; a payload that says otherwise is not trusted either way.
            if (root.TryGetProperty("eventType", out var eventType)
                && (eventType.ValueKind != JsonValueKind.String || eventType.GetString() != _eventType))
            {
                return PayloadReading.Unknown;
            }

            DateTimeOffset? at = null;
            if (root.TryGetProperty("timestamp", out var timestamp))
            {
                if (timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var milliseconds) || milliseconds < 0 || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    return PayloadReading.Unknown;
                }

                at = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            }

            long? version = null;
            if (root.TryGetProperty("versionNumber", out var versionNumber))
            {
                if (versionNumber.ValueKind != JsonValueKind.Number || !versionNumber.TryGetInt64(out var number))
                {
                    return PayloadReading.Unknown;
                }

                version = number;
            }

            return new PayloadReading(_eventType == "connected" ? PayloadMeaning.Up : PayloadMeaning.Down, at, version);
        }
    }
}
