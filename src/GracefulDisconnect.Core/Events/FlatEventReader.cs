using System.Text.Json;

namespace GracefulDisconnect;

/// <summary>
/// Reads one flat JSON event object in a single <see cref="Utf8JsonReader"/> pass, skipping unknown
/// fields. Every problem surfaces as <see cref="ConnectionEventFormatException"/> naming the field.
/// </summary>
internal static class FlatEventReader
{
    private static readonly byte[] ReceivedAtUtf8 = "receivedAt"u8.ToArray();

    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, FlatEventFormat format, ThingNamePool? names)
    {
        var reader = new Utf8JsonReader(utf8Json, JsonFields.ReaderOptions);
        try
        {
            return Read(ref reader, format, names);
        }
        catch (JsonException exception)
        {
            throw JsonFields.InvalidJson(exception);
        }
        catch (InvalidOperationException exception)
        {
            // Property names are unescaped when compared; an unpaired surrogate escape there lands here.
            throw JsonFields.InvalidPropertyName(exception);
        }
    }

    private static ConnectionEvent Read(ref Utf8JsonReader reader, FlatEventFormat format, ThingNamePool? names)
    {
        JsonFields.ReadStartObject(ref reader, null);
        string? thing = null;
        bool? connected = null;
        long? at = null;
        long? version = null;
        long? receivedAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(format.ThingUtf8))
            {
                JsonFields.ReadValue(ref reader);
                thing = JsonFields.ReadThingName(ref reader, format.ThingField, names);
            }
            else if (reader.ValueTextEquals(format.StateUtf8))
            {
                JsonFields.ReadValue(ref reader);
                connected = format.StateIsEventType
                    ? ReadEventType(ref reader, format.StateField)
                    : JsonFields.ReadBoolean(ref reader, format.StateField);
            }
            else if (reader.ValueTextEquals(format.TimeUtf8))
            {
                JsonFields.ReadValue(ref reader);
                at = format.TimeKind switch
                {
                    FlatEventTime.EpochMilliseconds => JsonFields.ReadEpoch(ref reader, format.TimeField, TimeSpan.TicksPerMillisecond, "milliseconds"),
                    FlatEventTime.EpochSeconds => JsonFields.ReadEpoch(ref reader, format.TimeField, TimeSpan.TicksPerSecond, "seconds"),
                    _ => JsonFields.ReadIsoTimestamp(ref reader, format.TimeField),
                };
            }
            else if (reader.ValueTextEquals(format.VersionUtf8))
            {
                JsonFields.ReadValue(ref reader);
                version = JsonFields.ReadOptionalInt64(ref reader, format.VersionField);
            }
            else if (reader.ValueTextEquals(ReceivedAtUtf8))
            {
                JsonFields.ReadValue(ref reader);
                receivedAt = JsonFields.ReadIsoTimestamp(ref reader, "receivedAt");
            }
            else
            {
                JsonFields.ReadValue(ref reader);
                reader.Skip();
            }
        }

        JsonFields.ExpectEnd(ref reader);
        return new ConnectionEvent(
            thing ?? throw JsonFields.Required(format.ThingField),
            connected ?? throw JsonFields.Required(format.StateField),
            JsonFields.Utc(at ?? throw JsonFields.Required(format.TimeField)),
            version,
            receivedAt is { } received ? JsonFields.Utc(received) : null);
    }

    private static bool ReadEventType(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("disconnected"u8))
            {
                return false;
            }

            if (reader.ValueTextEquals("connected"u8))
            {
                return true;
            }
        }

        throw new ConnectionEventFormatException(field, "expected \"connected\" or \"disconnected\"");
    }
}
