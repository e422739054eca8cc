using System.Text;
using System.Text.Json;

namespace GracefulDisconnect;

/// <summary>
/// Parses the generic event format, one JSON object:
/// <c>{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":3,"receivedAt":"..."}</c>
/// (<c>version</c> and <c>receivedAt</c> optional, other fields ignored).
/// </summary>
public static class GenericEventParser
{
    /// <summary>Parses one event.</summary>
    /// <param name="utf8Json">The UTF-8 JSON object.</param>
    /// <param name="names">Optional pool that de-duplicates thing name strings across events.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, ThingNamePool? names = null)
    {
        var reader = new Utf8JsonReader(utf8Json, JsonFields.ReaderOptions);
        try
        {
            return Read(ref reader, names);
        }
        catch (JsonException exception)
        {
            throw JsonFields.InvalidJson(exception);
        }
        catch (InvalidOperationException exception)
        {
            // Property names are unescaped when compared; an unpaired surrogate escape there lands here.
            throw JsonFields.InvalidText(null, exception);
        }
    }

    /// <summary>Parses one event.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    private static ConnectionEvent Read(ref Utf8JsonReader reader, ThingNamePool? names)
    {
        JsonFields.ReadStartObject(ref reader, null);
        string? thing = null;
        bool? connected = null;
        long? at = null;
        long? version = null;
        long? receivedAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("thing"u8))
            {
                JsonFields.ReadValue(ref reader);
                thing = JsonFields.ReadThingName(ref reader, "thing", names);
            }
            else if (reader.ValueTextEquals("connected"u8))
            {
                JsonFields.ReadValue(ref reader);
                connected = JsonFields.ReadBoolean(ref reader, "connected");
            }
            else if (reader.ValueTextEquals("at"u8))
            {
                JsonFields.ReadValue(ref reader);
                at = JsonFields.ReadIsoTimestamp(ref reader, "at");
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                JsonFields.ReadValue(ref reader);
                version = JsonFields.ReadOptionalInt64(ref reader, "version");
            }
            else if (reader.ValueTextEquals("receivedAt"u8))
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
            thing ?? throw JsonFields.Required("thing"),
            connected ?? throw JsonFields.Required("connected"),
            JsonFields.Utc(at ?? throw JsonFields.Required("at")),
            version,
            receivedAt is { } received ? JsonFields.Utc(received) : null);
    }
}
